import { FormControl, FormGroup } from '@angular/forms';
import { passwordPolicy, passwordsMatch } from './validators';

describe('passwordsMatch', () => {
  const form = (password: string, confirm: string) =>
    new FormGroup(
      { password: new FormControl(password), confirm: new FormControl(confirm) },
      { validators: passwordsMatch('password', 'confirm') },
    );

  it('accepts equal passwords', () => {
    expect(form('correct horse battery', 'correct horse battery').errors).toBeNull();
  });

  it('flags a different confirmation', () => {
    expect(form('correct horse battery', 'correct horse batterx').errors).toEqual({ passwordMismatch: true });
  });

  it('waits until the confirmation is typed', () => {
    expect(form('correct horse battery', '').errors).toBeNull();
  });

  it('re-validates when the password changes', () => {
    const f = form('correct horse battery', 'correct horse battery');
    f.controls.password.setValue('something else entirely');
    expect(f.hasError('passwordMismatch')).toBe(true);
  });
});

describe('passwordPolicy', () => {
  it('uses the shared policy', () => {
    expect(passwordPolicy()(new FormControl('short'))).toEqual({ passwordPolicy: 'TOO_SHORT' });
    expect(passwordPolicy()(new FormControl('password123'))).toEqual({ passwordPolicy: 'TOO_SIMPLE' });
    expect(passwordPolicy(() => 'marie.curie@example.com')(new FormControl('marie.curie-2024!'))).toEqual({
      passwordPolicy: 'CONTAINS_EMAIL',
    });
    expect(passwordPolicy()(new FormControl('correct horse battery staple'))).toBeNull();
  });
});
