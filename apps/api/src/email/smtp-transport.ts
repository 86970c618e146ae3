import type { SMTPTransportOptions } from 'nodemailer';
import type { SmtpConfig } from '../core/config/config';

/**
 * Nodemailer's options for SMTP_URL as core/config.ts read it (never the URL itself, whose query
 * parameters nodemailer would take as options). smtps:// is TLS from the first byte; smtp:// requires
 * STARTTLS: a server that does not offer it gets nothing, neither the password nor a link; tls=none is
 * plain text and carries no credentials. Certificates are checked against Node's CAs (a private CA:
 * NODE_EXTRA_CA_CERTS).
 */
export function smtpTransportOptions(smtp: SmtpConfig): SMTPTransportOptions {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'implicit',
    requireTLS: smtp.tls === 'starttls',
    ignoreTLS: smtp.tls === 'none',
    auth: smtp.auth ?? undefined,
    tls: { rejectUnauthorized: true },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}
