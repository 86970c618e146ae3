/** The languages of the provider's own pages (the console's). */
export type PageLanguage = 'en' | 'fr';

const TEXTS = {
  en: {
    confirmTitle: 'Sign out of Roster?',
    confirmAsked: (client: string | null) => (client ? `${client} asks to sign you out.` : 'An application asks to sign you out.'),
    confirmText: 'You will be signed out of Roster and of the applications you signed in to through it.',
    signOut: 'Sign out',
    stay: 'Stay signed in',
    doneTitle: 'You are signed out',
    doneText: 'You are signed out of Roster and of the applications you signed in to through it.',
    signIn: 'Sign in again',
  },
  fr: {
    confirmTitle: 'Se déconnecter de Roster\u00a0?',
    confirmAsked: (client: string | null) =>
      client ? `${client} demande à vous déconnecter.` : 'Une application demande à vous déconnecter.',
    confirmText: 'Vous serez déconnecté de Roster et des applications auxquelles vous vous êtes connecté par Roster.',
    signOut: 'Se déconnecter',
    stay: 'Rester connecté',
    doneTitle: 'Vous êtes déconnecté',
    doneText: 'Vous êtes déconnecté de Roster et des applications auxquelles vous vous êtes connecté par Roster.',
    signIn: 'Se reconnecter',
  },
} satisfies Record<PageLanguage, unknown>;

/** The console's look (Material's azure theme, light or dark as the system says), without its scripts. */
const STYLE = `
:root { color-scheme: light dark; --surface: #faf9fd; --card: #ffffff; --text: #1a1b1f; --muted: #44474e;
  --primary: #005cbb; --on-primary: #ffffff; --outline: #c4c6d0; }
@media (prefers-color-scheme: dark) { :root { --surface: #121316; --card: #1e1f23; --text: #e3e2e6; --muted: #c4c6d0;
  --primary: #abc7ff; --on-primary: #002f65; --outline: #44474e; } }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; box-sizing: border-box;
  padding: 16px; background: var(--surface); color: var(--text); font: 400 14px/20px Roboto, system-ui, sans-serif; }
main { width: 100%; max-width: 420px; background: var(--card); border: 1px solid var(--outline); border-radius: 16px;
  padding: 24px; box-sizing: border-box; }
h1 { margin: 0 0 16px; font-size: 24px; line-height: 32px; font-weight: 400; }
p { margin: 0 0 12px; color: var(--muted); }
.actions { display: flex; flex-wrap: wrap-reverse; justify-content: flex-end; gap: 8px; margin-top: 24px; }
button, a.button { font: 500 14px/20px Roboto, system-ui, sans-serif; border-radius: 20px; padding: 10px 24px; cursor: pointer;
  text-decoration: none; border: 1px solid var(--outline); background: transparent; color: var(--primary); }
button.primary, a.button { background: var(--primary); color: var(--on-primary); border-color: var(--primary); }
button:focus-visible, a.button:focus-visible { outline: 2px solid var(--primary); outline-offset: 2px; }
`;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(lang: PageLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="referrer" content="no-referrer">
  <title>${escape(title)} · Roster</title>
  <style>${STYLE}</style>
</head>
<body>
  <main>
    <h1>${escape(title)}</h1>
${body}
  </main>
</body>
</html>`;
}

/**
 * The question an application's logout request (RP-initiated logout) puts to a signed-in person:
 * `form` is the provider's form (its action and CSRF token); "Sign out" posts it with `logout=yes`
 * (Roster's session ends too), "Stay signed in" without (only the asking application's sign-in ends).
 */
export function logoutPage(lang: PageLanguage, form: string, client: string | null): string {
  const t = TEXTS[lang];
  return page(
    lang,
    t.confirmTitle,
    `    <p>${escape(t.confirmAsked(client))}</p>
    <p>${escape(t.confirmText)}</p>
    ${form}
    <div class="actions">
      <button type="submit" form="op.logoutForm">${escape(t.stay)}</button>
      <button type="submit" form="op.logoutForm" class="primary" name="logout" value="yes" autofocus>${escape(t.signOut)}</button>
    </div>`,
  );
}

/** Where a logout ends when the application named no `post_logout_redirect_uri`. */
export function signedOutPage(lang: PageLanguage): string {
  const t = TEXTS[lang];
  return page(
    lang,
    t.doneTitle,
    `    <p>${escape(t.doneText)}</p>
    <div class="actions"><a class="button" href="/sign-in">${escape(t.signIn)}</a></div>`,
  );
}

/** The page's language: the first of `ui_locales` Roster speaks, else the browser's preference, else English. */
export function pageLanguage(uiLocales: unknown, accepts: (...langs: string[]) => string | false): PageLanguage {
  if (typeof uiLocales === 'string') {
    for (const tag of uiLocales.split(' ')) {
      const lang = tag.split('-')[0].toLowerCase();
      if (lang === 'en' || lang === 'fr') return lang;
    }
  }
  return accepts('en', 'fr') === 'fr' ? 'fr' : 'en';
}

/**
 * The logout page's Content-Security-Policy: the server-wide one would keep its form's answer (a 303 to
 * the application's registered `post_logout_redirect_uri`, already checked by the provider) on Roster's
 * origin (`form-action 'self'` covers redirects), so the application's origin is added; no script at all.
 */
export function logoutPagePolicy(postLogoutRedirectUri: unknown): string {
  let origin = '';
  try {
    if (typeof postLogoutRedirectUri === 'string') {
      const url = new URL(postLogoutRedirectUri);
      if (url.protocol === 'https:' || url.protocol === 'http:') origin = ` ${url.origin}`;
    }
  } catch {
    // Not a URL: the provider refuses the request before the page.
  }
  return `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'self'${origin}`;
}
