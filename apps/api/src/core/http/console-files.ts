import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_PATHS } from '@roster/contracts/http';
import type { AppConfig } from '../config/config';
import { say } from '../observability/say';

/** The console: its static files from CONSOLE_DIR, and index.html for its client-side routes. */
export function serveConsole(app: NestExpressApplication, config: AppConfig): void {
  if (existsSync(join(config.consoleDir, 'index.html'))) {
    const assets = express.static(config.consoleDir, { index: false, maxAge: '1h' });
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
      SERVER_PATHS.test(req.path) ? next() : assets(req, res, next),
    );
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (req.method !== 'GET' || SERVER_PATHS.test(req.path) || !req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(config.consoleDir, 'index.html'));
    });
  } else if (!cluster.isWorker || cluster.worker?.id === 1) {
    say(`No console build in ${config.consoleDir}: serving the API only.`);
  }
}
