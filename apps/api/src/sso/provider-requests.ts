import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';

/** The longest the server waits for an identity provider's token or user-info answer, from connecting to its last byte. */
export const PROVIDER_REQUEST_TIMEOUT_MS = 5_000;
/** The most of such an answer read (real ones are a few kilobytes); the socket is destroyed beyond it. */
export const PROVIDER_ANSWER_MAX_BYTES = 1_000_000;

type Done = (error: unknown, body?: string, response?: IncomingMessage) => void;

/** What `oauth`'s OAuth2 client (passport-openidconnect's `_oauth2`) sends each request through. */
interface OAuth2Client {
  _agent?: Agent;
  _executeRequest(
    library: { request(options: RequestOptions): ClientRequest },
    options: RequestOptions,
    body: string | Buffer | null | undefined,
    done: Done,
  ): void;
}

/**
 * Bounds the server's own requests of a passport-openidconnect strategy: the code exchanged for tokens and
 * the user info. The `oauth` package they go through reads an answer to its end, however long it is and
 * however long it takes; a provider an organization's admin configured could hold a request forever or
 * send an endless answer into the server's memory, at every instance that serves a sign-in. Each request
 * now ends within `timeoutMs` and reads at most `maxBytes`, both failing the sign-in as a provider that does
 * not answer does. Otherwise it answers as the package does: its agent, its body, no redirect followed, a
 * status outside 2xx (301 and 302 aside) passed back as `{ statusCode, data }`.
 *
 * Replaces the method on the strategy's own client (not the package's prototype); throws when the client is
 * not where it was (an upgrade moved it), so that no strategy is used unbounded.
 */
export function boundProviderRequests(
  strategy: object,
  limits = { timeoutMs: PROVIDER_REQUEST_TIMEOUT_MS, maxBytes: PROVIDER_ANSWER_MAX_BYTES },
): void {
  const client = (strategy as { _oauth2?: OAuth2Client })._oauth2;
  if (!client || typeof client._executeRequest !== 'function') {
    throw new Error("passport-openidconnect's OAuth2 client was not found: its requests to the provider cannot be bounded");
  }
  client._executeRequest = function bounded(library, options, body, done) {
    let answered = false;
    const answer: Done = (error, text, response) => {
      if (answered) return;
      answered = true;
      done(error, text, response);
    };
    const signal = AbortSignal.timeout(limits.timeoutMs);
    const failure = (e: unknown) => (signal.aborted ? new Error(`the identity provider did not answer within ${limits.timeoutMs} ms`) : e);
    const request = library.request({ ...options, ...(this._agent ? { agent: this._agent } : {}), signal });
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          request.destroy();
          return answer(new Error(`the identity provider's answer is over ${limits.maxBytes} bytes`));
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if ((status < 200 || status > 299) && status !== 301 && status !== 302) answer({ statusCode: status, data: text });
        else answer(null, text, response);
      });
      response.on('error', (e) => answer(failure(e)));
      response.on('close', () => {
        if (!response.complete) answer(failure(new Error('the identity provider closed the connection before the end of its answer')));
      });
    });
    request.on('error', (e) => answer(failure(e)));
    if ((options.method === 'POST' || options.method === 'PUT') && body) request.write(body);
    request.end();
  };
}
