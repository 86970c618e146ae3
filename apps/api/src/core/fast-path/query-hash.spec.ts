import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { MAX_REMEMBERED, MAX_TEXT, rememberedQueryHashes, rememberQueryHashes } from './query-hash';
import { fastPathUses } from './uses';

interface ApolloHash {
  update(data: string | Uint8Array, encoding?: BufferEncoding): ApolloHash;
  digest(encoding?: string): string | Buffer;
}
/** The `@apollo/utils.createhash` Apollo loads (its export read at each call, so replacing it reaches Apollo). */
const apolloHash = createRequire(createRequire(__filename).resolve('@apollo/server'))('@apollo/utils.createhash') as {
  createHash(kind: string): ApolloHash;
};
const sha256 = (text: string, encoding: 'hex' | 'base64' = 'hex') => createHash('sha256').update(text).digest(encoding);

describe('remembered query hashes', () => {
  beforeAll(() => rememberQueryHashes());

  it('gives the SHA-256 node:crypto gives, for any text, asked once or again', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constant('{ __typename }')), (text) => {
        expect(apolloHash.createHash('sha256').update(text).digest('hex')).toBe(sha256(text));
        expect(apolloHash.createHash('sha256').update(text).digest('hex')).toBe(sha256(text));
      }),
      { numRuns: 500 },
    );
  });

  it('answers a text it has seen from memory, and counts it', () => {
    const text = `query { users(first: ${Math.random()}) { totalCount } }`;
    const before = fastPathUses.queryHash;
    apolloHash.createHash('sha256').update(text).digest('hex');
    expect(fastPathUses.queryHash).toBe(before);
    apolloHash.createHash('sha256').update(text).digest('hex');
    expect(fastPathUses.queryHash).toBe(before + 1);
  });

  it('hashes every other use as node:crypto does: long texts, several parts, bytes, other encodings and kinds', () => {
    const long = 'x'.repeat(MAX_TEXT + 1);
    const before = fastPathUses.queryHash;
    for (let i = 0; i < 2; i++) expect(apolloHash.createHash('sha256').update(long).digest('hex')).toBe(sha256(long));
    expect(fastPathUses.queryHash).toBe(before);
    expect(apolloHash.createHash('sha256').update('a').update('b').digest('hex')).toBe(sha256('ab'));
    expect(apolloHash.createHash('sha256').update(Buffer.from('bytes')).digest('hex')).toBe(sha256('bytes'));
    expect(apolloHash.createHash('sha256').update('6869', 'hex').digest('hex')).toBe(sha256('hi'));
    expect(apolloHash.createHash('sha256').update('text').digest('base64')).toBe(sha256('text', 'base64'));
    expect(apolloHash.createHash('sha256').update('text').digest()).toEqual(createHash('sha256').update('text').digest());
    expect(apolloHash.createHash('sha512').update('key').digest('hex')).toBe(createHash('sha512').update('key').digest('hex'));
  });

  it('refuses a second digest, as node:crypto does', () => {
    const hash = apolloHash.createHash('sha256').update('once');
    hash.digest('hex');
    expect(() => hash.digest('hex')).toThrow('Digest already called');
    expect(() => hash.update('more')).toThrow('Digest already called');
  });

  it('keeps at most MAX_REMEMBERED texts', () => {
    for (let i = 0; i < MAX_REMEMBERED * 2 + 3; i++) {
      apolloHash.createHash('sha256').update(`{ n${i} }`).digest('hex');
      expect(rememberedQueryHashes()).toBeLessThanOrEqual(MAX_REMEMBERED);
    }
  });
});
