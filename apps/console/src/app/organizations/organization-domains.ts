import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** The most email domains an organization may have (as the API allows). */
export const DOMAINS_MAX = 50;

/** A domain name as the API accepts it: lower-case labels of a–z 0–9 -, dot-separated, a top level starting with a letter. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A domain as typed, the way the API keeps it: trimmed, lower-cased, without a leading "@" or a final dot. */
export function normaliseDomain(typed: string): string {
  return typed.trim().toLowerCase().replace(/^@+/, '').replace(/\.$/, '');
}

/** Whether a normalised domain is one the API accepts. */
export const isDomain = (domain: string): boolean => DOMAIN.test(domain);

/** The domains of a text typed or pasted at once ("acme.com, acme.fr"), normalised, in order, empty parts left out. */
export const splitDomains = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map(normaliseDomain)
    .filter((d) => d !== '');

/** What is wrong with the domains, to say beside them: the translation key's last word and the domain it names. */
export interface DomainProblem {
  readonly kind: 'INVALID' | 'TAKEN' | 'TOO_MANY';
  readonly domain?: string;
}

/** The translation key of a domain problem. */
export const domainProblemKey = (problem: DomainProblem): string => `organizations.domainProblem.${problem.kind}`;

/**
 * The problem the API named about one domain (DOMAIN_TAKEN, or BAD_USER_INPUT naming a domain or the
 * list's size), said beside the list; null for any other failure.
 */
export function domainProblemOf(error: unknown): DomainProblem | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const extensions = error.errors[0]?.extensions ?? {};
  const domain = typeof extensions['domain'] === 'string' ? extensions['domain'] : undefined;
  if (extensions['code'] === 'DOMAIN_TAKEN') return { kind: 'TAKEN', domain };
  if (extensions['code'] === 'BAD_USER_INPUT' && extensions['field'] === 'domains') {
    return domain === undefined ? { kind: 'TOO_MANY' } : { kind: 'INVALID', domain };
  }
  return null;
}
