import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Step } from './graphql-http';
import { jsonBody } from './json-body';

/**
 * The direct path's JSON reader against body-parser itself, on a real HTTP server: whatever the body,
 * what a request ends with (its parsed body or its error's status and message) is the same, and only
 * the usual body (a JSON object with a length within the limit) is parsed without body-parser.
 */
const LIMIT = 1024;
let handedOver = 0;
const bodyParser = express.json({ limit: LIMIT }) as Step;
const counted: Step = (req, res, next) => {
  handedOver++;
  bodyParser(req, res, next);
};

function serve(step: Step): Promise<Server> {
  const server = createServer((req, res) =>
    step(req, res, (err) => {
      const e = err as { status?: number; message?: string } | undefined;
      res.end(JSON.stringify(e ? { status: e.status, message: e.message } : { body: (req as { body?: unknown }).body ?? null }));
    }),
  );
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Sends `body` (chunked when `chunked`), returns what the server ended with. */
function send(server: Server, body: Buffer, chunked = false): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((ok, ko) => {
    const req = request(
      {
        port,
        method: 'POST',
        path: '/graphql',
        headers: chunked
          ? { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }
          : { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => ok(text));
      },
    );
    req.on('error', ko);
    req.end(body);
  });
}

describe('the direct JSON body reader', () => {
  let direct: Server;
  let plain: Server;
  beforeAll(async () => {
    direct = await serve(jsonBody(LIMIT, counted));
    plain = await serve(bodyParser);
  });
  afterAll(() => {
    direct.close();
    plain.close();
  });

  const bodies: Record<string, string | Buffer> = {
    'an object': JSON.stringify({ query: '{ __typename }', variables: { a: [1, 'é', null] } }),
    'an object with a non-ASCII name': JSON.stringify({ query: 'query Ünïcode { __typename }' }),
    'an object at the limit': JSON.stringify({ query: 'x'.repeat(LIMIT - 12) }),
    'one byte over the limit': JSON.stringify({ query: 'x'.repeat(LIMIT - 11) }),
    'truncated JSON': '{"query": ',
    'an array': '[{"query":"{ __typename }"}]',
    'JSON null': 'null',
    'a string': '"x"',
    'leading whitespace': ' {"query":"{ __typename }"}',
    'a byte-order mark': '\uFEFF{"query":"{ __typename }"}',
    'invalid UTF-8': Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    'not JSON': 'not json',
    'a duplicate key': '{"query":"a","query":"b"}',
  };

  it.each(Object.keys(bodies))('%s: the same outcome as body-parser', async (name) => {
    const body = Buffer.from(bodies[name]);
    expect(await send(direct, body)).toBe(await send(plain, body));
  });

  it.each(Object.keys(bodies))('%s, chunked: the same outcome as body-parser', async (name) => {
    const body = Buffer.from(bodies[name]);
    expect(await send(direct, body, true)).toBe(await send(plain, body, true));
  });

  it('parses the usual body itself and hands every other one to body-parser', async () => {
    handedOver = 0;
    await send(direct, Buffer.from(bodies['an object']));
    expect(handedOver).toBe(0);
    for (const name of ['truncated JSON', 'an array', 'a byte-order mark', 'one byte over the limit']) {
      await send(direct, Buffer.from(bodies[name]));
    }
    await send(direct, Buffer.from(bodies['an object']), true);
    expect(handedOver).toBe(5);
  });

  it('goes on in the async context the request was in, as body-parser does', async () => {
    const context = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const server = await serve((req, res, next) =>
      context.run('request', () =>
        jsonBody(LIMIT, bodyParser)(req, res, (err) => {
          seen.push(context.getStore());
          next(err);
        }),
      ),
    );
    try {
      await send(server, Buffer.from(bodies['an object']));
      await send(server, Buffer.from(bodies['an array']));
      await send(server, Buffer.from(bodies['an object']), true);
    } finally {
      server.close();
    }
    expect(seen).toEqual(['request', 'request', 'request']);
  });

  it('answers an empty body as body-parser does', async () => {
    expect(await send(direct, Buffer.alloc(0))).toBe(await send(plain, Buffer.alloc(0)));
  });
});
