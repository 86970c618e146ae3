import { createHash as nodeCreateHash, type BinaryToTextEncoding, type Hash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fastPathUses } from './uses';

/** What `@apollo/utils.createhash` exports, and what its hashes offer Apollo. */
interface HashLike {
  update(data: string | NodeJS.ArrayBufferView, encoding?: BufferEncoding): HashLike;
  digest(encoding?: BinaryToTextEncoding): string | Buffer;
}
type CreateHash = ((kind: string) => HashLike) & { remembered?: true };

/** Query texts whose hash is remembered; past this many, the memory starts again. */
export const MAX_REMEMBERED = 256;
/** Longer texts are hashed each time (never remembered): at most MAX_REMEMBERED × this in memory. */
export const MAX_TEXT = 4_000;

const hexes = new Map<string, string>();

/**
 * A SHA-256 that, given one text and asked for hex (Apollo's `computeQueryHash`), answers from memory;
 * any other use (more updates, bytes, another encoding) is node:crypto's own hash of the same input.
 */
class RememberingSha256 implements HashLike {
  private text: string | null = null;
  private hash: Hash | null = null;
  private done = false;

  update(data: string | NodeJS.ArrayBufferView, encoding?: BufferEncoding): this {
    if (this.done) throw new Error('Digest already called');
    if (this.hash === null && this.text === null && typeof data === 'string' && encoding === undefined) {
      this.text = data;
    } else if (typeof data === 'string') {
      this.real().update(data, encoding as BufferEncoding);
    } else {
      this.real().update(data);
    }
    return this;
  }

  digest(encoding?: BinaryToTextEncoding): string | Buffer {
    if (this.done) throw new Error('Digest already called');
    this.done = true;
    const text = this.text;
    if (this.hash !== null || text === null || encoding !== 'hex' || text.length > MAX_TEXT) {
      return encoding === undefined ? this.real().digest() : this.real().digest(encoding);
    }
    const known = hexes.get(text);
    if (known !== undefined) {
      fastPathUses.queryHash++;
      return known;
    }
    const hex = nodeCreateHash('sha256').update(text).digest('hex');
    if (hexes.size >= MAX_REMEMBERED) hexes.clear();
    hexes.set(text, hex);
    return hex;
  }

  private real(): Hash {
    if (this.hash === null) {
      this.hash = nodeCreateHash('sha256');
      if (this.text !== null) this.hash.update(this.text);
    }
    return this.hash;
  }
}

/** How many texts are remembered now (tests). */
export const rememberedQueryHashes = (): number => hexes.size;

/** Whether hashes are remembered: GRAPHQL_FAST_PATH, read once the configuration is (rememberQueryHashes). */
let remembering = false;

/**
 * Apollo hashes every request's query text (SHA-256, hex) to find its parsed and validated document,
 * through `@apollo/utils.createhash`, which requires node:crypto again on each call: ~10 µs of a small
 * query's ~200 µs of CPU. Clients send few distinct texts: once rememberQueryHashes has run, the hex of
 * texts of at most MAX_TEXT characters is remembered, at most MAX_REMEMBERED of them. Every hash is
 * node:crypto's, computed once per text; other uses of a SHA-256 are node:crypto's directly, and other
 * kinds (Apollo's SHA-512 of its key), like everything before, the package's own function's.
 *
 * Installed on the copy of the package `@apollo/server` loads, before Apollo is: Nest loads Apollo's ES
 * module build, which binds the package's export when it is imported (main.ts imports query-hash-hook
 * first). Installing again changes nothing.
 */
export function installQueryHashes(): void {
  const module = createRequire(createRequire(__filename).resolve('@apollo/server'))('@apollo/utils.createhash') as {
    createHash: CreateHash;
  };
  const own = module.createHash;
  if (own.remembered) return;
  const createHash: CreateHash = (kind: string) => (remembering && kind === 'sha256' ? new RememberingSha256() : own(kind));
  createHash.remembered = true;
  module.createHash = createHash;
}

/** Turns the remembering on (GRAPHQL_FAST_PATH on); installs it too, for a process that did not (tests). */
export function rememberQueryHashes(): void {
  installQueryHashes();
  remembering = true;
}
