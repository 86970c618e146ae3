import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of, throwError } from 'rxjs';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import {
  CompleteTwoFactorSetupGQL,
  DisableTwoFactorGQL,
  MeFieldsFragment,
  StartTwoFactorSetupGQL,
} from '@roster/console/data-access/generated';
import { Session } from '../../core/session';
import { TwoFactorSection } from './two-factor';

const CODES = Array.from({ length: 10 }, (_, i) => `AAAA${i}-BBBBB`);

describe('TwoFactorSection', () => {
  const start = jest.fn(() =>
    of({
      data: {
        startTwoFactorSetup: { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrCodeDataUrl: 'data:image/png;base64,AA' },
      },
    }),
  );
  const complete = jest.fn();
  const disable = jest.fn(() => of({ data: { disableTwoFactor: true } }));

  async function render(enabled: boolean) {
    const me = signal({ user: { email: 'ada@example.com', twoFactorEnabled: enabled } } as MeFieldsFragment);
    const session = { me, set: (m: MeFieldsFragment) => me.set(m) };
    await TestBed.configureTestingModule({
      imports: [TwoFactorSection, TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } })],
      providers: [
        { provide: Session, useValue: session },
        { provide: StartTwoFactorSetupGQL, useValue: { mutate: start } },
        { provide: CompleteTwoFactorSetupGQL, useValue: { mutate: complete } },
        { provide: DisableTwoFactorGQL, useValue: { mutate: disable } },
        { provide: MatSnackBar, useValue: { open: jest.fn() } },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(TwoFactorSection);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const settle = async () => {
      await new Promise((r) => setTimeout(r));
      await fixture.whenStable();
    };
    const button = (label: string) =>
      [...el.querySelectorAll('button')].find((b) => b.textContent?.trim().endsWith(label)) as HTMLButtonElement;
    const type = async (selector: string, value: string) => {
      const input = el.querySelector(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    return { el, me, settle, button, type };
  }

  beforeEach(() => jest.clearAllMocks());

  it('sets up: QR code and key, a 6-digit code, then the recovery codes once', async () => {
    complete.mockReturnValue(of({ data: { completeTwoFactorSetup: { recoveryCodes: CODES } } }));
    const { el, me, settle, button, type } = await render(false);
    expect(el.textContent).toContain('twoFactor.off');
    button('twoFactor.setUp').click();
    await settle();
    expect(el.querySelector('img')?.getAttribute('src')).toBe('data:image/png;base64,AA');
    expect(el.querySelector('img')?.getAttribute('alt')).toContain('twoFactor.qrAlt');
    expect(el.querySelector('[data-testid=totp-secret]')?.textContent).toBe('JBSW Y3DP EHPK 3PXP');

    await type('input[formcontrolname=code]', '12345');
    button('twoFactor.complete').click();
    await settle();
    expect(complete).not.toHaveBeenCalled();

    await type('input[formcontrolname=code]', '123 456');
    button('twoFactor.complete').click();
    await settle();
    expect(complete).toHaveBeenCalledWith({ variables: { input: { code: '123456' } } });
    expect(el.querySelector('[role=status]')?.textContent).toContain('twoFactor.enabled');
    expect(el.querySelectorAll('[data-testid=recovery-codes] li')).toHaveLength(10);
    expect(me().user.twoFactorEnabled).toBe(true);

    button('twoFactor.saved').click();
    await settle();
    expect(el.querySelector('[data-testid=recovery-codes]')).toBeNull();
    expect(el.textContent).toContain('twoFactor.on');
  });

  it('shows the translated API error when the code is wrong', async () => {
    complete.mockReturnValue(
      throwError(() => new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions: { code: 'TWO_FACTOR_CODE_INVALID' } }] })),
    );
    const { el, settle, button, type } = await render(false);
    button('twoFactor.setUp').click();
    await settle();
    await type('input[formcontrolname=code]', '000000');
    button('twoFactor.complete').click();
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('errors.TWO_FACTOR_CODE_INVALID');
  });

  it('disables with password and code', async () => {
    const { el, me, settle, button, type } = await render(true);
    button('twoFactor.disable').click();
    await settle();
    await type('input[formcontrolname=password]', 'secret words 1');
    await type('input[formcontrolname=code]', '654321');
    button('twoFactor.confirmDisable').click();
    await settle();
    expect(disable).toHaveBeenCalledWith({ variables: { input: { password: 'secret words 1', code: '654321' } } });
    expect(me().user.twoFactorEnabled).toBe(false);
    expect(el.textContent).toContain('twoFactor.off');
  });
});
