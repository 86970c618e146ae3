import cluster from 'node:cluster';

/** The worker processes of the primary, and how to stop them. */
export interface Workers {
  /** SIGTERM to every worker (each drains), then waits until they exit or `timeoutMs` passes. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * WEB_CONCURRENCY > 1: `count` server processes sharing the port (Node cluster), each given the
 * database URL; one that exits is replaced until `stop`. Resolves once all of them listen.
 */
export async function startWorkers(count: number, databaseUrl: string, say: (msg: string) => void): Promise<Workers> {
  let stopping = false;
  const fork = () => cluster.fork({ DATABASE_URL: databaseUrl });
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    say(`Worker ${worker.process.pid} exited (${code}); starting another.`);
    fork();
  });
  const listening = new Promise<void>((resolve) => {
    let n = 0;
    cluster.on('listening', () => ++n === count && resolve());
  });
  for (let i = 0; i < count; i++) fork();
  await listening;
  return {
    async stop(timeoutMs) {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      const exited = Promise.all(workers.map((w) => new Promise((ok) => (w.isDead() ? ok(null) : w.once('exit', ok)))));
      for (const worker of workers) worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, timeoutMs))]);
    },
  };
}
