import type { Request, Response } from 'express';
import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, Server, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/config';
import { aggregateWorkers, metricsOfAllWorkers, type MetricsSource } from './cluster-metrics';
import { metricsRegistry } from './metrics';

/**
 * What answers a scrape in this process. Alone: its own metrics. With several processes
 * (WEB_CONCURRENCY) and metrics on: the primary sums the workers' (for METRICS_PORT, and for workers
 * asked on the main port), and a worker asks the primary for them. Called once per process.
 */
export function metricsSource(config: AppConfig): MetricsSource {
  const served = Boolean(config.metrics.token || config.metrics.port);
  if (cluster.isWorker) return served ? metricsOfAllWorkers() : metricsRegistry;
  return config.workers > 1 && served ? aggregateWorkers() : metricsRegistry;
}

/**
 * GET /metrics on the main port, for a scraper that sends `Authorization: Bearer METRICS_TOKEN`; with
 * several processes, whichever takes the scrape answers for all of them (cluster-metrics.ts).
 */
export function metricsWithToken(token: string, source: MetricsSource) {
  const expected = createHash('sha256').update(`Bearer ${token}`).digest();
  return (req: Request, res: Response) => {
    const given = createHash('sha256')
      .update(req.headers.authorization ?? '')
      .digest();
    if (req.method !== 'GET' || !timingSafeEqual(given, expected)) {
      res.status(401).json({ code: 'UNAUTHENTICATED', message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>.' });
      return;
    }
    void sendMetrics(source, res);
  };
}

async function sendMetrics(registry: MetricsSource, res: ServerResponse): Promise<void> {
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType });
    res.end(body);
  } catch {
    res.writeHead(500).end();
  }
}

/**
 * METRICS_PORT: /metrics alone on its own port (no token: keep that port private). With several
 * processes (WEB_CONCURRENCY) the primary answers for all of them (prom-client's cluster aggregation).
 */
export function serveMetricsPort(config: AppConfig, source: MetricsSource): Server {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') void sendMetrics(source, res);
    else res.writeHead(404).end();
  });
  server.listen(config.metrics.port as number, config.metrics.host);
  return server;
}
