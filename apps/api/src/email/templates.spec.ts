import { renderEmail } from './templates';

describe('renderEmail: account_ready', () => {
  const payload = { url: 'https://roster.example/reset-password?token=abc&x=1', expiresAt: '2026-12-13T10:00:00.000Z' };

  it('names the organization and asks the person to choose their password, in English and French', () => {
    const en = renderEmail('account_ready', 'en', { ...payload, organization: 'Acme' });
    expect(en.subject).toBe('Your account in Acme is ready: choose your password');
    expect(en.text).toContain('An account in Acme was made for you on Roster.');
    expect(en.text).toContain(payload.url);
    expect(en.text).toContain('13 December 2026 at 10:00 (UTC)');
    expect(en.text).toContain('“Forgot password?”');
    const fr = renderEmail('account_ready', 'fr', { ...payload, organization: 'Acme' });
    expect(fr.subject).toBe('Votre compte dans Acme est prêt : choisissez votre mot de passe');
    expect(fr.text).toContain('Un compte dans Acme a été créé pour vous sur Roster.');
    expect(fr.html).toContain('<html lang="fr">');
    expect(fr.html).toContain('Choisir mon mot de passe');
  });

  it("escapes the organization's name in the HTML part, and leaves no placeholder in other kinds", () => {
    const hostile = renderEmail('account_ready', 'en', { ...payload, organization: '<b>Evil & Co</b>' });
    expect(hostile.html).toContain('&lt;b&gt;Evil &amp; Co&lt;/b&gt;');
    expect(hostile.html).not.toContain('<b>Evil');
    expect(hostile.html).toContain('href="https://roster.example/reset-password?token=abc&amp;x=1"');
    const reset = renderEmail('password_reset', 'en', payload);
    expect(reset.subject).toBe('Reset your Roster password');
    expect(`${reset.subject}${reset.text}${reset.html}`).not.toContain('{');
  });
});
