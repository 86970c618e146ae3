import fc from 'fast-check';
import { createRequire } from 'node:module';
import { rememberNegotiations } from './negotiation';
import { fastPathUses } from './uses';

/** The `negotiator` Apollo loads, and its mediaType as the package ships it (read before it is replaced). */
const Negotiator = createRequire(createRequire(__filename).resolve('@apollo/server'))('negotiator') as new (req: {
  headers: { accept?: string };
}) => { mediaType(available?: string[]): string | undefined };
const shipped = Negotiator.prototype.mediaType;

/** The lists Apollo offers (requestPipeline.ts, runHttpQuery.ts, ApolloServer.ts). */
const OFFERS = [
  ['multipart/mixed; incrementalSpec=v0.2', 'multipart/mixed; deferSpec=20220824'],
  ['multipart/mixed', 'multipart/mixed; incrementalSpec=v0.2', 'multipart/mixed; deferSpec=20220824'],
  ['application/json', 'application/graphql-response+json', 'application/json; callback=graphql'],
];

const type = fc.constantFrom(
  'application/json',
  'application/graphql-response+json',
  'multipart/mixed',
  'text/html',
  '*/*',
  'application/*',
);
const param = fc.constantFrom(
  '',
  ';q=0.5',
  ';q=0',
  ';q=1',
  '; deferSpec=20220824',
  ';incrementalSpec=v0.2',
  ';charset=utf-8',
  ';q=0.9;x=1',
);
const accept = fc.oneof(
  fc.constant(undefined),
  fc
    .array(
      fc.tuple(type, param).map(([t, p]) => t + p),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(', ')),
  fc.string({ maxLength: 40 }),
);

describe('remembered media type negotiation', () => {
  beforeAll(() => rememberNegotiations());

  it('answers as the package does, for any Accept header and each of the lists Apollo offers, asked once or again', () => {
    fc.assert(
      fc.property(accept, fc.constantFrom(...OFFERS), (header, offered) => {
        const req = { headers: header === undefined ? {} : { accept: header } };
        const expected = shipped.call(new Negotiator(req), offered);
        expect(new Negotiator(req).mediaType(offered)).toBe(expected);
        expect(new Negotiator(req).mediaType(offered)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('tells an absent header from an empty one, and the order of the offered types', () => {
    const absent = new Negotiator({ headers: {} }).mediaType(OFFERS[2]);
    const empty = new Negotiator({ headers: { accept: '' } }).mediaType(OFFERS[2]);
    expect([absent, empty]).toEqual([shipped.call(new Negotiator({ headers: {} }), OFFERS[2]), undefined]);
    // The same header with the offered types in two orders: each answered as the package answers it.
    const both = { headers: { accept: 'application/graphql-response+json, application/json' } };
    for (const offered of [
      ['application/json', 'application/graphql-response+json'],
      ['application/graphql-response+json', 'application/json'],
    ]) {
      expect(new Negotiator(both).mediaType(offered)).toBe(shipped.call(new Negotiator(both), offered));
    }
  });

  it('counts what it answered from memory, and negotiates long headers each time', () => {
    const before = fastPathUses.negotiation;
    const req = { headers: { accept: 'application/json' } };
    new Negotiator(req).mediaType(OFFERS[2]);
    new Negotiator(req).mediaType(OFFERS[2]);
    expect(fastPathUses.negotiation).toBeGreaterThan(before);
    const long = { headers: { accept: `${'x/y;q=0.1, '.repeat(60)}application/json` } };
    const counted = fastPathUses.negotiation;
    expect(new Negotiator(long).mediaType(OFFERS[2])).toBe(shipped.call(new Negotiator(long), OFFERS[2]));
    new Negotiator(long).mediaType(OFFERS[2]);
    expect(fastPathUses.negotiation).toBe(counted);
  });
});
