import { ApplicationRef, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import { of } from 'rxjs';
import { AcceptInvitationGQL, InvitationPreviewGQL } from '@roster/console/data-access/generated';
import { Session } from '../core/session';
import { RegisterPage } from './register';

describe('RegisterPage', () => {
  const TOKEN = 't'.repeat(43);
  const settle = async () => {
    await new Promise((r) => setTimeout(r));
    await TestBed.inject(ApplicationRef).whenStable();
  };

  async function render(existingAccount: boolean, signedInAs: string | null, accept = jest.fn()) {
    const me = signal(signedInAs ? { user: { email: signedInAs } } : null);
    const session = { me, set: jest.fn(), refresh: jest.fn(async () => me()), signOut: jest.fn(async () => me.set(null)) };
    await TestBed.configureTestingModule({
      imports: [RegisterPage, TranslocoTestingModule.forRoot({ langs: { en: {} }, translocoConfig: { defaultLang: 'en' } })],
      providers: [
        provideRouter([]),
        {
          provide: InvitationPreviewGQL,
          useValue: {
            fetch: () => of({ data: { invitation: { email: 'ann@example.com', expiresAt: '2099-01-01T00:00:00Z', existingAccount } } }),
          },
        },
        { provide: AcceptInvitationGQL, useValue: { mutate: accept } },
        { provide: Session, useValue: session },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(RegisterPage);
    fixture.componentRef.setInput('token', TOKEN);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const navigateByUrl = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await fixture.whenStable();
    await settle();
    return { el: fixture.nativeElement as HTMLElement, session, navigate, navigateByUrl };
  }

  it('shows the registration form for a new email', async () => {
    const { el } = await render(false, null);
    expect(el.querySelector('form input[autocomplete=given-name]')).not.toBeNull();
    expect(el.querySelector('[data-testid=sign-in-to-accept]')).toBeNull();
  });

  it('asks an existing account to sign in, and comes back to the invitation', async () => {
    const { el, navigate } = await render(true, null);
    expect(el.querySelector('form')).toBeNull();
    expect(el.querySelector('[data-testid=sign-in-to-accept]')?.textContent).toContain('register.signInToAccept');
    (el.querySelector('[data-testid=sign-in-to-accept-button]') as HTMLButtonElement).click();
    await settle();
    expect(navigate).toHaveBeenCalledWith(['/sign-in'], { queryParams: { returnUrl: expect.any(String) } });
  });

  it('accepts with the token alone when signed in as the invited email, and opens the organization joined', async () => {
    const me = { user: { email: 'ann@example.com' }, organization: { slug: 'beta' } };
    const accept = jest.fn(() => of({ data: { acceptInvitation: me } }));
    const { el, session, navigateByUrl } = await render(true, 'Ann@example.com', accept);
    (el.querySelector('[data-testid=accept-invitation]') as HTMLButtonElement).click();
    await settle();
    expect(accept).toHaveBeenCalledWith({ variables: { input: { token: TOKEN } } });
    expect(session.set).toHaveBeenCalledWith(me);
    expect(navigateByUrl).toHaveBeenCalledWith('/o/beta/users', { replaceUrl: true });
  });

  it('tells someone signed in as another email, and offers to switch accounts', async () => {
    const accept = jest.fn();
    const { el, session, navigate } = await render(true, 'bob@example.com', accept);
    expect(el.querySelector('[data-testid=accept-invitation]')).toBeNull();
    expect(el.querySelector('[data-testid=other-account]')).not.toBeNull();
    (el.querySelector('[data-testid=other-account] ~ .actions button') as HTMLButtonElement).click();
    await settle();
    expect(session.signOut).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith(['/sign-in'], expect.anything());
    expect(accept).not.toHaveBeenCalled();
  });
});
