/** The emails Roster sends, in English and French: plain text and HTML. */

export type EmailKind = 'invitation' | 'password_reset';
export type EmailLanguage = 'en' | 'fr';

export interface EmailPayload {
  url: string;
  expiresAt: string;
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
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function renderEmail(kind: EmailKind, language: string, payload: EmailPayload): RenderedEmail {
  const lang: EmailLanguage = language === 'fr' ? 'fr' : 'en';
  const t = TEXTS[kind][lang];
  const when = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(payload.expiresAt));
  const expiry = `${t.expiry.replace('{when}', when)} (UTC)`;
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
