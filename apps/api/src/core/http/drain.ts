import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { lifecycle } from './lifecycle';

/**
 * SIGTERM/SIGINT: readiness turns 503 (load balancers stop sending), the port stops accepting, the
 * requests in flight finish (kept-alive connections close as they go idle), then the pools close.
 * After SHUTDOWN_GRACE_SECONDS whatever is still open is cut.
 */
export async function drain(app: INestApplication, graceSeconds: number, delaySeconds = 0): Promise<void> {
  lifecycle.draining = true;
  // Still serving, readiness already 503: a load balancer that polls /readyz stops sending first.
  if (delaySeconds > 0) await new Promise((ok) => setTimeout(ok, delaySeconds * 1000));
  const server = app.getHttpServer() as Server;
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => server.closeAllConnections(), graceSeconds * 1000);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
  }
}

/** Runs `stop` on the first SIGTERM and on the first SIGINT. */
export function onStopSignal(stop: (signal: 'SIGTERM' | 'SIGINT') => unknown): void {
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
