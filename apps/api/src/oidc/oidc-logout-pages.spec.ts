import { logoutPage, logoutPagePolicy, pageLanguage, signedOutPage } from './oidc-logout-pages';

describe('the logout pages', () => {
  const FORM =
    '<form id="op.logoutForm" method="post" action="/oidc/session/end/confirm"><input type="hidden" name="xsrf" value="x"/></form>';

  it("asks with the provider's form and both answers, the application's name escaped, and no script", () => {
    const page = logoutPage('en', FORM, '<img src=x onerror=alert(1)> & Co');
    expect(page).toContain(FORM);
    expect(page).toContain('&#60;img src=x onerror=alert(1)&#62; &#38; Co asks to sign you out.');
    expect(page).not.toContain('<img');
    expect(page).toMatch(
      /<button type="submit" form="op.logoutForm" class="primary" name="logout" value="yes" autofocus>Sign out<\/button>/,
    );
    expect(page).toMatch(/<button type="submit" form="op.logoutForm">Stay signed in<\/button>/);
    expect(page).not.toContain('<script');
    expect(logoutPage('fr', FORM, null)).toContain('Une application demande à vous déconnecter.');
  });

  it('says the person is signed out, with a way back to sign in', () => {
    expect(signedOutPage('fr')).toContain('<html lang="fr">');
    expect(signedOutPage('en')).toContain('<a class="button" href="/sign-in">Sign in again</a>');
  });

  it('speaks the first of ui_locales Roster knows, else the browser’s choice, else English', () => {
    const browser = (lang: string | false) => () => lang;
    expect(pageLanguage('de fr-CA en', browser('en'))).toBe('fr');
    expect(pageLanguage('de', browser('fr'))).toBe('fr');
    expect(pageLanguage(undefined, browser(false))).toBe('en');
    expect(pageLanguage(['fr'], browser('en'))).toBe('en');
  });
});

describe("the logout page's Content-Security-Policy", () => {
  it("lets the form's answer go to the application's registered origin only, and runs no script", () => {
    const policy = logoutPagePolicy('https://app.example.com:8443/signed-out?x=1');
    expect(policy).toMatch(/form-action 'self' https:\/\/app\.example\.com:8443$/);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('script-src');
    for (const bad of [undefined, 42, 'not a url', 'javascript:alert(1)', 'data:text/html,x']) {
      expect(logoutPagePolicy(bad)).toMatch(/form-action 'self'$/);
    }
  });
});
