import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of, throwError } from 'rxjs';
import { AuthConfigGQL, SignInGQL, SignInMethodGQL, VerifyTwoFactorGQL } from '@roster/console/data-access/generated';
import { ErrorCode } from '@roster/contracts/errors';
import { Session } from '../core/session';
import { SignInPage } from './sign-in';

describe('SignInPage', () => {
  const PASSWORD = () => of({ data: { signInMethod: { method: 'PASSWORD', ssoUrl: null, ssoLabel: null } } });

  async function render(authConfig: () => unknown, mutations: { signIn?: jest.Mock; verify?: jest.Mock; method?: jest.Mock } = {}) {
    await TestBed.configureTestingModule({
      imports: [SignInPage, TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } })],
      providers: [
        provideRouter([]),
        { provide: AuthConfigGQL, useValue: { fetch: authConfig } },
        { provide: SignInGQL, useValue: { mutate: mutations.signIn ?? jest.fn() } },
        { provide: VerifyTwoFactorGQL, useValue: { mutate: mutations.verify ?? jest.fn() } },
        { provide: SignInMethodGQL, useValue: { fetch: mutations.method ?? jest.fn(PASSWORD) } },
        { provide: Session, useValue: { set: jest.fn() } },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(SignInPage);
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const config = (c: { passwordSignIn: boolean; ssoLabel: string | null; ssoUrl: string | null }) => () => of({ data: { authConfig: c } });

  it('offers "Sign in with {label}" as a plain link to the SSO URL, and the password form', async () => {
    const el = await render(config({ passwordSignIn: true, ssoLabel: 'Keycloak', ssoUrl: '/api/auth/oidc/login' }));
    const link = el.querySelector('a[data-testid=sso-sign-in]') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/api/auth/oidc/login');
    expect(link.textContent).toContain('signIn.sso');
    expect(el.querySelector('form input[type=password]')).not.toBeNull();
  });

  it('hides the password form when password sign-in is off', async () => {
    const el = await render(config({ passwordSignIn: false, ssoLabel: 'Google', ssoUrl: '/api/auth/oidc/login' }));
    expect(el.querySelector('a[data-testid=sso-sign-in]')).not.toBeNull();
    expect(el.querySelector('form')).toBeNull();
  });

  it('shows only the password form without SSO, or when the configuration cannot be read', async () => {
    let el = await render(config({ passwordSignIn: true, ssoLabel: null, ssoUrl: null }));
    expect(el.querySelector('a[data-testid=sso-sign-in]')).toBeNull();
    expect(el.querySelector('form')).not.toBeNull();
    TestBed.resetTestingModule();
    el = await render(() => throwError(() => new Error('offline')));
    expect(el.querySelector('form')).not.toBeNull();
  });

  it('asks for the code when two-factor is on, and back to the password when the challenge has expired', async () => {
    const signIn = jest.fn(() => of({ data: { signIn: { twoFactorRequired: true, challengeToken: 'challenge', me: null } } }));
    const expired = new CombinedGraphQLErrors({
      errors: [{ message: 'expired', extensions: { code: ErrorCode.TwoFactorChallengeExpired } }],
    });
    const verify = jest.fn(() => throwError(() => expired));
    const el = await render(config({ passwordSignIn: true, ssoLabel: null, ssoUrl: null }), { signIn, verify });
    const type = (input: HTMLInputElement, value: string): void => {
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    const submit = async (): Promise<void> => {
      el.querySelector('form')?.dispatchEvent(new Event('submit'));
      await new Promise((r) => setTimeout(r));
      await TestBed.inject(ApplicationRef).whenStable();
    };
    const inputs = (): HTMLInputElement[] => Array.from(el.querySelectorAll('form input'));
    const [email, password] = inputs();
    type(email, 'ann@example.com');
    type(password, 'secret');
    await submit();
    expect(signIn).toHaveBeenCalledWith({ variables: { input: { email: 'ann@example.com', password: 'secret' } } });
    const code = el.querySelector<HTMLInputElement>('input[autocomplete=one-time-code]');
    expect(code).not.toBeNull();
    if (code) type(code, '123 456');
    await submit();
    expect(verify).toHaveBeenCalledWith({ variables: { input: { challengeToken: 'challenge', code: '123456' } } });
    expect(el.querySelector('[role=alert]')?.textContent).toContain(`errors.${ErrorCode.TwoFactorChallengeExpired}`);
    expect(el.querySelector('input[autocomplete=one-time-code]')).toBeNull();
    expect(el.querySelector('button[type=submit]')?.textContent).toContain('signIn.submit');
    expect(el.querySelector('button[type=submit]')?.hasAttribute('disabled')).toBe(false);
  });

  it("sends an email of an organization's domain to its provider instead of asking for the password", async () => {
    const method = jest.fn((q: { variables: { email: string } }) =>
      q.variables.email.endsWith('@acme.test')
        ? of({ data: { signInMethod: { method: 'SSO', ssoUrl: '/auth/sso?organization=acme', ssoLabel: 'Acme ID' } } })
        : PASSWORD(),
    );
    const signIn = jest.fn();
    const el = await render(config({ passwordSignIn: true, ssoLabel: null, ssoUrl: null }), { method, signIn });
    const email = el.querySelector<HTMLInputElement>('form input[type=email]') as HTMLInputElement;
    email.value = 'ann@acme.test';
    email.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 350));
    await TestBed.inject(ApplicationRef).whenStable();
    expect(method).toHaveBeenCalledWith({ variables: { email: 'ann@acme.test' }, fetchPolicy: 'network-only' });
    const link = el.querySelector('a[data-testid=sso-continue]') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/auth/sso?organization=acme');
    expect(link.textContent).toContain('signIn.continueWith');
    expect(el.querySelector('form input[type=password]')).toBeNull();
    // Another domain: the password again.
    email.value = 'ann@example.com';
    email.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 350));
    await TestBed.inject(ApplicationRef).whenStable();
    expect(el.querySelector('a[data-testid=sso-continue]')).toBeNull();
    expect(el.querySelector('form input[type=password]')).not.toBeNull();
    expect(signIn).not.toHaveBeenCalled();
  });
});
