import { normaliseSlug, RESERVED_SLUGS, slugify, slugProblem } from './organizations';

describe('slugProblem', () => {
  it.each(['acme', 'a', '0', 'acme-eu', 'a1-b2-c3', 'x'.repeat(40), ' Acme ', 'ACME-EU'])('accepts %j', (slug) => {
    expect(slugProblem(slug)).toBeNull();
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['x'.repeat(41), 'TOO_LONG'],
    ['-acme', 'SHAPE'],
    ['acme-', 'SHAPE'],
    ['-', 'SHAPE'],
    ['ac me', 'SHAPE'],
    ['acme_eu', 'SHAPE'],
    ['acmé', 'SHAPE'],
    ['acme.eu', 'SHAPE'],
    ['api', 'RESERVED'],
    ['GraphQL', 'RESERVED'],
    ['o', 'RESERVED'],
    ['scim', 'RESERVED'],
  ])('refuses %j as %s', (slug, problem) => {
    expect(slugProblem(slug)).toBe(problem);
  });

  it('stores slugs trimmed and lower-cased', () => {
    expect(normaliseSlug('  Acme-EU ')).toBe('acme-eu');
  });
});

describe('slugify', () => {
  it.each([
    ['Acme', 'acme'],
    ['Société Générale', 'societe-generale'],
    ['  ACME, Inc.  ', 'acme-inc'],
    ['a'.repeat(39) + ' b', 'a'.repeat(39)],
    ['Default', 'default'],
    ['!!!', 'default'],
    ['API', 'default'],
  ])('suggests %j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('always suggests an acceptable slug', () => {
    for (const name of ['', '---', 'Ünïcödé ØK', '日本', 'x'.repeat(100), ...RESERVED_SLUGS]) {
      expect(slugProblem(slugify(name))).toBeNull();
    }
  });
});
