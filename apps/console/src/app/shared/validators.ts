import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { passwordProblem } from '@roster/contracts/password-policy';

/**
 * On a form group: `{ passwordMismatch: true }` when `confirmName` differs from `passwordName`
 * (only once the confirmation has been typed).
 */
export function passwordsMatch(passwordName: string, confirmName: string): ValidatorFn {
  return (group: AbstractControl): ValidationErrors | null => {
    const password = group.get(passwordName)?.value ?? '';
    const confirm = group.get(confirmName)?.value ?? '';
    return confirm && password !== confirm ? { passwordMismatch: true } : null;
  };
}

/** The shared password policy as a validator: `{ passwordPolicy: 'TOO_SHORT' | ... }`. */
export function passwordPolicy(email?: () => string | null | undefined): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    const value: string = control.value ?? '';
    if (!value) return null;
    const problem = passwordProblem(value, email?.());
    return problem ? { passwordPolicy: problem } : null;
  };
}

/** Shows the confirmation field in error when the group reports a mismatch. */
export const confirmErrorMatcher = {
  isErrorState(control: AbstractControl | null): boolean {
    if (!control) return false;
    const mismatch = !!control.parent?.hasError('passwordMismatch');
    return (control.invalid || mismatch) && (control.dirty || control.touched);
  },
};
