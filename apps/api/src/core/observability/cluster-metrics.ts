import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from './metrics';

/** What answers a scrape: the text of every metric, and its content type. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

const ASK = 'roster:metrics?';
const ANSWER = 'roster:metrics!';
/** Longer than prom-client's own wait for the workers (5 s). */
const ANSWER_TIMEOUT_MS = 7_000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  body?: string;
  error?: string;
}

/**
 * With several processes (WEB_CONCURRENCY), every metric is the sum over the workers (or, for gauges
 * that say so, their max or min): the primary asks each worker for
 * its own (prom-client's AggregatorRegistry) and adds them up. A scrape is answered the same whichever
 * process takes it: on METRICS_PORT the primary answers; on the main port (METRICS_TOKEN) the worker
 * that took the request asks the primary.
 *
 * In the primary: the aggregated metrics, also served to workers that ask for them.
 */
export function aggregateWorkers(): MetricsSource {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: unknown; id?: unknown }) => {
    if (message?.type !== ASK || typeof message.id !== 'number') return;
    const id = message.id;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id, ...answer });
    };
    aggregator.clusterMetrics().then(
      (body) => reply({ body }),
      (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }),
    );
  });
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
}

/** In a worker: answers the primary's requests for this process's metrics; returns the whole cluster's, from the primary. */
export function metricsOfAllWorkers(): MetricsSource {
  // Its constructor makes this worker answer the primary's requests (prom-client's cluster protocol).
  new AggregatorRegistry();
  const waiting = new Map<number, (answer: Answer | null) => void>();
  let next = 0;
  process.on('message', (message: Partial<Answer> | null) => {
    if (message?.type === ANSWER && typeof message.id === 'number') waiting.get(message.id)?.(message as Answer);
  });
  return {
    contentType: metricsRegistry.contentType,
    metrics: () =>
      new Promise<string>((ok, ko) => {
        const id = next++;
        const timer = setTimeout(() => settle(null), ANSWER_TIMEOUT_MS);
        const settle = (answer: Answer | null) => {
          waiting.delete(id);
          clearTimeout(timer);
          if (answer?.body !== undefined) ok(answer.body);
          else ko(new Error(answer?.error ?? 'the primary process did not answer'));
        };
        waiting.set(id, settle);
        if (!process.send) return settle(null);
        process.send({ type: ASK, id }, undefined, undefined, (e: Error | null) => e && settle(null));
      }),
  };
}
