/**
 * Organization slugs, the same rule in the API and the console: 1–40 of `a-z 0-9 -`, neither starting
 * nor ending with `-`, typed in any case (lower-cased first), and never a word the console's or the
 * API's routes use. Framework-free: no imports.
 */
export const SLUG_MAX = 40;

/** Words a slug may not be: they name routes (`/o/<slug>/…` beside `/api`, `/auth`, `/graphql`…). */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'assets',
  'auth',
  'graphql',
  'healthz',
  'metrics',
  'o',
  'readyz',
  'register',
  'reset-password',
  'scim',
  'setup',
  'sign-in',
  'static',
  'well-known',
]);

const SHAPE = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export type SlugProblem = 'EMPTY' | 'TOO_LONG' | 'SHAPE' | 'RESERVED';

/** What is wrong with a slug as typed (null: nothing). */
export function slugProblem(input: string): SlugProblem | null {
  const slug = input.trim().toLowerCase();
  if (!slug) return 'EMPTY';
  if (slug.length > SLUG_MAX) return 'TOO_LONG';
  if (!SHAPE.test(slug)) return 'SHAPE';
  if (RESERVED_SLUGS.has(slug)) return 'RESERVED';
  return null;
}

/** The slug as stored: trimmed and lower-cased (check it with `slugProblem` first). */
export const normaliseSlug = (input: string): string => input.trim().toLowerCase();

/**
 * A slug suggested from a name: accents dropped, lower-cased, every run of other characters one `-`,
 * trimmed to 40 without a trailing `-`; `fallback` when nothing usable is left or the word is reserved.
 */
export function slugify(name: string, fallback = 'default'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug && !RESERVED_SLUGS.has(slug) ? slug : fallback;
}
