/** The emails Roster sends, in English and French: plain text and HTML. */

/**
 * `account_ready`: a person an identity provider created (SCIM) chooses their first password through
 * an admin-made kind of reset link; its texts name the organization.
 */
export type EmailKind = 'invitation' | 'password_reset' | 'account_ready';
export type EmailLanguage = 'en' | 'fr';

export interface EmailPayload {
  url: string;
  expiresAt: string;
  /** The organization's name, for the kinds whose texts name it ({organization}). */
  organization?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const TEXTS: Record<
  EmailKind,
  Record<EmailLanguage, { subject: string; intro: string; action: string; expiry: string; ignore: string }>
> = {
  invitation: {
    en: {
      subject: 'You are invited to Roster',
      intro: 'You have been invited to join Roster. Open this link to create your account:',
      action: 'Create my account',
      expiry: 'The link works once and expires on {when}.',
      ignore: 'If you did not expect this invitation, you can ignore this email.',
    },
    fr: {
      subject: 'Vous êtes invité sur Roster',
      intro: 'Vous êtes invité à rejoindre Roster. Ouvrez ce lien pour créer votre compte :',
      action: 'Créer mon compte',
      expiry: 'Le lien ne sert qu’une fois et expire le {when}.',
      ignore: 'Si vous n’attendiez pas cette invitation, ignorez ce message.',
    },
  },
  password_reset: {
    en: {
      subject: 'Reset your Roster password',
      intro: 'Open this link to choose a new password for Roster:',
      action: 'Choose a new password',
      expiry: 'The link works once and expires on {when}. Using it signs you out everywhere.',
      ignore: 'If you did not ask for this, ignore this email: your password stays as it is.',
    },
    fr: {
      subject: 'Réinitialisez votre mot de passe Roster',
      intro: 'Ouvrez ce lien pour choisir un nouveau mot de passe Roster :',
      action: 'Choisir un nouveau mot de passe',
      expiry: 'Le lien ne sert qu’une fois et expire le {when}. L’utiliser vous déconnecte partout.',
      ignore: 'Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.',
    },
  },
  account_ready: {
    en: {
      subject: 'Your account in {organization} is ready: choose your password',
      intro: 'An account in {organization} was made for you on Roster. Open this link to choose your password:',
      action: 'Choose my password',
      expiry:
        'The link works once and expires on {when}. Once it has expired, ask for a new one with “Forgot password?” on the sign-in page.',
      ignore: 'If you did not expect this account, you can ignore this email.',
    },
    fr: {
      subject: 'Votre compte dans {organization} est prêt : choisissez votre mot de passe',
      intro: 'Un compte dans {organization} a été créé pour vous sur Roster. Ouvrez ce lien pour choisir votre mot de passe :',
      action: 'Choisir mon mot de passe',
      expiry:
        'Le lien ne sert qu’une fois et expire le {when}. Une fois expiré, demandez-en un autre avec « Mot de passe oublié ? » sur la page de connexion.',
      ignore: 'Si vous n’attendiez pas ce compte, ignorez ce message.',
    },
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function renderEmail(kind: EmailKind, language: string, payload: EmailPayload): RenderedEmail {
  const lang: EmailLanguage = language === 'fr' ? 'fr' : 'en';
  // {organization} is filled in before any escaping (the HTML part escapes every text it shows).
  const named = (text: string) => text.replaceAll('{organization}', payload.organization ?? '');
  const texts = TEXTS[kind][lang];
  const t = {
    subject: named(texts.subject),
    intro: named(texts.intro),
    action: texts.action,
    expiry: texts.expiry,
    ignore: texts.ignore,
  };
  const when = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(payload.expiresAt));
  // The time zone right after the time, not after whatever sentence follows it.
  const expiry = t.expiry.replace('{when}', `${when} (UTC)`);
  const text = `${t.intro}\n\n${payload.url}\n\n${expiry}\n\n${t.ignore}\n`;
  const url = escapeHtml(payload.url);
  const html = `<!doctype html><html lang="${lang}"><body style="font-family: sans-serif; line-height: 1.5">
<p>${escapeHtml(t.intro)}</p>
<p><a href="${url}" style="display: inline-block; padding: 10px 16px; background: #0b57d0; color: #fff; border-radius: 20px; text-decoration: none">${escapeHtml(t.action)}</a></p>
<p style="word-break: break-all; color: #444">${url}</p>
<p>${escapeHtml(expiry)}</p>
<p style="color: #666">${escapeHtml(t.ignore)}</p>
</body></html>`;
  return { subject: t.subject, text, html };
}
