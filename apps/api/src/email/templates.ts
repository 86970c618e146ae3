/** The emails Roster sends, in English and French: plain text and HTML. */

/**
 * `account_ready`: a person an identity provider created (SCIM) chooses their first password through
 * an admin-made kind of reset link; its texts name the organization. `webhook_disabled`: Roster stopped
 * sending an organization's events to one of its webhook endpoints (told to those who manage webhooks).
 */
export type EmailKind = 'invitation' | 'password_reset' | 'account_ready' | 'webhook_disabled';
export type EmailLanguage = 'en' | 'fr';

/** What the emails carrying a one-time link say: the link, its expiry, and for some the organization. */
export interface LinkEmailPayload {
  url: string;
  expiresAt: string;
  /** The organization's name, for the kinds whose texts name it ({organization}). */
  organization?: string;
}

/** Why Roster disabled an endpoint: it answered 410 Gone, or it failed for three days. */
export type WebhookDisabledEmailReason = 'GONE' | 'FAILING';

/** `webhook_disabled`: the webhooks page, the organization's name, the endpoint, why and since when. */
export interface WebhookDisabledPayload {
  url: string;
  organization: string;
  /** The endpoint as its admins know it: its description (may be empty) and its host (never its path). */
  endpoint: { description: string; host: string };
  reason: WebhookDisabledEmailReason;
  /** GONE: when it answered 410; FAILING: its first failure since its last success. ISO instant. */
  since: string;
}

/** An email's payload, by its kind: `webhook_disabled`'s, or a link's for the others. */
export type EmailPayload = LinkEmailPayload | WebhookDisabledPayload;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const TEXTS: Record<
  Exclude<EmailKind, 'webhook_disabled'>,
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

const WEBHOOK_DISABLED: Record<
  EmailLanguage,
  { subject: string; intro: string; reasons: Record<WebhookDisabledEmailReason, string>; action: string; next: string }
> = {
  en: {
    subject: 'Webhooks of {organization}: an endpoint was disabled',
    intro: 'Roster stopped sending the events of {organization} to the webhook endpoint {endpoint}.',
    reasons: {
      GONE: 'It answered 410 Gone on {when}: the receiver says it no longer exists.',
      FAILING: 'Every delivery to it has failed since {when}, for more than three days.',
    },
    action: 'Open the webhooks page',
    next: 'Its deliveries are kept in its log. Once the receiver works again, enable the endpoint on the webhooks page; deliveries less than a day old are then sent.',
  },
  fr: {
    subject: 'Webhooks de {organization} : un point de réception a été désactivé',
    intro: 'Roster n’envoie plus les événements de {organization} au point de réception {endpoint}.',
    reasons: {
      GONE: 'Il a répondu 410 Gone le {when} : le récepteur indique qu’il n’existe plus.',
      FAILING: 'Toutes les livraisons échouent depuis le {when}, soit plus de trois jours.',
    },
    action: 'Ouvrir la page des webhooks',
    next: 'Ses livraisons restent dans son journal. Une fois le récepteur rétabli, réactivez le point de réception sur la page des webhooks ; les livraisons de moins d’un jour sont alors envoyées.',
  },
};

function renderWebhookDisabled(lang: EmailLanguage, payload: WebhookDisabledPayload): RenderedEmail {
  const t = WEBHOOK_DISABLED[lang];
  const { description, host } = payload.endpoint;
  const endpoint = description ? `“${description}” (${host})` : host;
  const when = `${new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(payload.since))} (UTC)`;
  // Placeholders are filled in before any escaping (the HTML part escapes every text it shows).
  const fill = (text: string) =>
    text.replaceAll('{organization}', payload.organization).replaceAll('{endpoint}', endpoint).replaceAll('{when}', when);
  const subject = fill(t.subject);
  const intro = fill(t.intro);
  const reason = fill(t.reasons[payload.reason]);
  const text = `${intro}\n\n${reason}\n\n${t.next}\n\n${payload.url}\n`;
  const url = escapeHtml(payload.url);
  const html = `<!doctype html><html lang="${lang}"><body style="font-family: sans-serif; line-height: 1.5">
<p>${escapeHtml(intro)}</p>
<p>${escapeHtml(reason)}</p>
<p>${escapeHtml(t.next)}</p>
<p><a href="${url}" style="display: inline-block; padding: 10px 16px; background: #0b57d0; color: #fff; border-radius: 20px; text-decoration: none">${escapeHtml(t.action)}</a></p>
<p style="word-break: break-all; color: #444">${url}</p>
</body></html>`;
  return { subject, text, html };
}

export function renderEmail(kind: EmailKind, language: string, email: EmailPayload): RenderedEmail {
  const lang: EmailLanguage = language === 'fr' ? 'fr' : 'en';
  if (kind === 'webhook_disabled') return renderWebhookDisabled(lang, email as WebhookDisabledPayload);
  const payload = email as LinkEmailPayload;
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
