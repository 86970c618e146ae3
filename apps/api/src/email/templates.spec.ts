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

describe('renderEmail: webhook_disabled', () => {
  const payload = {
    url: 'https://roster.example/o/acme/webhooks',
    organization: 'Acme',
    endpoint: { description: 'CRM sync', host: 'hooks.example.com' },
    since: '2026-12-03T09:30:00.000Z',
  };

  it('says which endpoint, why and since when, in English and French, with the webhooks page', () => {
    const gone = renderEmail('webhook_disabled', 'en', { ...payload, reason: 'GONE' });
    expect(gone.subject).toBe('Webhooks of Acme: an endpoint was disabled');
    expect(gone.text).toContain('Roster stopped sending the events of Acme to the webhook endpoint “CRM sync” (hooks.example.com).');
    expect(gone.text).toContain('It answered 410 Gone on 3 December 2026 at 09:30 (UTC)');
    expect(gone.text).toContain(payload.url);
    const failing = renderEmail('webhook_disabled', 'fr', {
      ...payload,
      reason: 'FAILING',
      endpoint: { description: '', host: 'h.example' },
    });
    expect(failing.subject).toBe('Webhooks de Acme : un point de réception a été désactivé');
    expect(failing.text).toContain('au point de réception h.example.');
    expect(failing.text).toContain('Toutes les livraisons échouent depuis le 3 décembre 2026');
    expect(failing.html).toContain('<html lang="fr">');
    expect(`${gone.subject}${gone.text}${gone.html}${failing.text}`).not.toMatch(/\{[a-z]+\}/);
  });

  it('escapes what admins typed in the HTML part', () => {
    const hostile = renderEmail('webhook_disabled', 'en', {
      ...payload,
      reason: 'GONE',
      organization: '<i>Org</i>',
      endpoint: { description: '<script>x</script>', host: 'h.example' },
    });
    expect(hostile.html).not.toContain('<script>');
    expect(hostile.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(hostile.html).not.toContain('<i>Org');
  });
});
