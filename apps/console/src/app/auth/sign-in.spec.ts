import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of, throwError } from 'rxjs';
import { AuthConfigGQL, SignInGQL, VerifyTwoFactorGQL } from '@roster/console/data-access/generated';
import { Session } from '../core/session';
import { SignInPage } from './sign-in';

describe('SignInPage', () => {
  async function render(authConfig: () => unknown) {
    await TestBed.configureTestingModule({
      imports: [SignInPage, TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } })],
      providers: [
        provideRouter([]),
        { provide: AuthConfigGQL, useValue: { fetch: authConfig } },
        { provide: SignInGQL, useValue: { mutate: jest.fn() } },
        { provide: VerifyTwoFactorGQL, useValue: { mutate: jest.fn() } },
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
});
