import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { NewPasswordFields } from './new-password';
import { passwordPolicy, passwordsMatch } from './validators';

@Component({
  selector: 'ro-new-password-test',
  imports: [ReactiveFormsModule, NewPasswordFields],
  template: `
    <form [formGroup]="form" (ngSubmit)="form.markAllAsTouched()">
      <ro-new-password [password]="form.controls.newPassword" [confirmation]="form.controls.again" label="profile.newPassword" />
      <button type="submit">Save</button>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class NewPasswordTest {
  readonly form = inject(NonNullableFormBuilder).group(
    { newPassword: ['', [Validators.required, passwordPolicy(() => 'ada@example.com')]], again: ['', Validators.required] },
    { validators: passwordsMatch('newPassword', 'again') },
  );
}

describe('NewPasswordFields', () => {
  async function render() {
    TestBed.configureTestingModule({
      imports: [
        NewPasswordTest,
        TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en', availableLangs: ['en'] } }),
      ],
    });
    const fixture = TestBed.createComponent(NewPasswordTest);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const inputs = [...el.querySelectorAll('input')];
    const type = async (input: HTMLInputElement, value: string) => {
      input.value = value;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('blur'));
      await fixture.whenStable();
    };
    const errors = () => [...el.querySelectorAll('mat-error')].map((e) => e.textContent?.trim());
    return { fixture, el, inputs, type, errors };
  }

  it('labels both fields and asks for a new password, with the policy as a hint', async () => {
    const { el, inputs } = await render();
    expect([...el.querySelectorAll('mat-label')].map((l) => l.textContent?.trim())).toEqual([
      'profile.newPassword',
      'common.confirmPassword',
    ]);
    expect(inputs.map((i) => [i.type, i.autocomplete])).toEqual([
      ['password', 'new-password'],
      ['password', 'new-password'],
    ]);
    expect(el.querySelector('mat-hint')?.textContent?.trim()).toBe('password.hint');
  });

  it('says "required" under both once the form is submitted empty', async () => {
    const { fixture, el, errors } = await render();
    el.querySelector('button')?.click();
    await fixture.whenStable();
    expect(errors()).toEqual(['common.required', 'common.required']);
  });

  it("names the policy's problem, then a confirmation that does not match", async () => {
    const { inputs, type, errors } = await render();
    await type(inputs[0], 'too short');
    expect(errors()).toEqual(['password.TOO_SHORT']);
    await type(inputs[0], 'correct horse battery staple');
    await type(inputs[1], 'correct horse battery stable');
    expect(errors()).toEqual(['password.mismatch']);
    await type(inputs[1], 'correct horse battery staple');
    expect(errors()).toEqual([]);
  });
});
