import { createRequire } from 'node:module';
import { fastPathUses } from './uses';

/** What Apollo asks of the `negotiator` package: the preferred of `available` for a request's Accept header. */
interface NegotiatorClass {
  prototype: {
    mediaType(this: { request: { headers: { accept?: string } } }, available?: string[]): string | undefined;
  };
}

/** Accept headers and answers remembered; past this many, the memory starts again. */
const MAX_REMEMBERED = 256;
/** Longer Accept headers are negotiated each time (never remembered). */
const MAX_ACCEPT = 500;

type MediaType = NegotiatorClass['prototype']['mediaType'] & { remembered?: true };

/**
 * Apollo negotiates the response's media type on every request, twice for a POST (whether the client
 * accepts incremental delivery, then which JSON type), with a fresh `negotiator` that parses the
 * Accept header and every offered type again: ~12 µs of a small query's ~210 µs of CPU. The answer
 * depends only on the header and the offered types, and clients send few distinct headers: this
 * remembers the answers of `Negotiator.prototype.mediaType` (the copy `@apollo/server` loads), keyed by
 * both, for at most MAX_REMEMBERED headers of at most MAX_ACCEPT characters. The answers are the
 * library's own, computed once.
 */
export function rememberNegotiations(): void {
  const negotiator = createRequire(createRequire(__filename).resolve('@apollo/server'))('negotiator') as NegotiatorClass;
  const negotiate = negotiator.prototype.mediaType as MediaType;
  if (negotiate.remembered) return;
  const answers = new Map<string, string | undefined>();
  const remembering: MediaType = function (this: { request: { headers: { accept?: string } } }, available?: string[]) {
    const accept = this.request.headers.accept;
    if (!Array.isArray(available) || (accept !== undefined && (typeof accept !== 'string' || accept.length > MAX_ACCEPT))) {
      return negotiate.call(this, available);
    }
    // The header (absent differs from empty) and the offered types, in order (the first wins a tie).
    const key = `${accept === undefined ? '\u0001' : accept}\u0000${available.join('\u0000')}`;
    if (answers.has(key)) {
      fastPathUses.negotiation++;
      return answers.get(key);
    }
    const answer = negotiate.call(this, available);
    if (answers.size >= MAX_REMEMBERED) answers.clear();
    answers.set(key, answer);
    return answer;
  };
  remembering.remembered = true;
  negotiator.prototype.mediaType = remembering;
}
