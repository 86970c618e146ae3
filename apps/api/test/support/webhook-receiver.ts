import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got, as it arrived. */
export interface Received {
  path: string;
  id: string;
  timestamp: number;
  signature: string;
  /** The raw body, as signed. */
  body: string;
  headers: IncomingMessage['headers'];
  /** Date.now() on arrival. */
  at: number;
  /** The secrets registered for the path that verify this request (standardwebhooks' Webhook.verify on the raw body). */
  verifiedWith: string[];
}

/** What a path answers: a status, headers and a body, after `delayMs` (at once by default); or 'hang' (never answers). */
export type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer; delayMs?: number } | 'hang';
export type Handler = (request: Received, nth: number) => Answer;

/**
 * A webhook receiver on loopback (`node:http`): records every request, verifies each with the
 * `standardwebhooks` library against the secrets registered for its path (as a receiver would, on the
 * bytes received), and answers as told per path (200 by default).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly secrets = new Map<string, string[]>();
  private readonly handlers = new Map<string, Handler>();
  private readonly counts = new Map<string, number>();
  /** Requests not answered yet ('hang', or a delayed answer), by path. */
  private readonly hanging: { path: string; res: ServerResponse }[] = [];
  /** The path of the last request on each connection closed so far (the client closed it, or the receiver). */
  readonly closed: string[] = [];
  private readonly lastPath = new WeakMap<object, string>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port = 0): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | null = null;
    const server = createServer((req, res) => receiver?.handle(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((ok, ko) => {
      server.once('error', ko);
      server.listen(port, '127.0.0.1', ok);
    });
    receiver = new WebhookReceiver(server, (server.address() as AddressInfo).port);
    return receiver;
  }

  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The secrets a path's requests are verified with (a rotation adds one). */
  secret(path: string, ...secrets: string[]): void {
    this.secrets.set(path, [...(this.secrets.get(path) ?? []), ...secrets]);
  }

  answer(path: string, handler: Handler): void {
    this.handlers.set(path, handler);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Waits until `check` holds (polling), or fails saying what was received. */
  async until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) {
        throw new Error(`${what}: not within ${timeoutMs} ms; received ${JSON.stringify(this.received.map((r) => [r.path, r.id]))}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Cuts the connections of the requests of `path` not answered yet (a receiver that goes away). */
  drop(path: string): void {
    for (const held of this.hanging) if (held.path === path) held.res.destroy();
  }

  async close(): Promise<void> {
    for (const { res } of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    const socket = req.socket;
    if (!this.lastPath.has(socket)) socket.once('close', () => this.closed.push(this.lastPath.get(socket) ?? ''));
    this.lastPath.set(socket, (req.url ?? '/').split('?')[0]);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(req.headers[name] ?? '');
      const verifiedWith = (this.secrets.get(path) ?? []).filter((secret) => {
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      const received: Received = {
        path,
        id: header('webhook-id'),
        timestamp: Number(header('webhook-timestamp')),
        signature: header('webhook-signature'),
        body,
        headers: req.headers,
        at: Date.now(),
        verifiedWith,
      };
      this.received.push(received);
      const nth = (this.counts.get(path) ?? 0) + 1;
      this.counts.set(path, nth);
      const answer = this.handlers.get(path)?.(received, nth) ?? { status: 200, body: 'ok' };
      if (answer === 'hang') {
        this.hanging.push({ path, res });
        return;
      }
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) {
        this.hanging.push({ path, res });
        setTimeout(send, answer.delayMs).unref();
      } else {
        send();
      }
    });
  }
}
