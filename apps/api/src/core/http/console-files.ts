import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import express from 'express';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SERVER_PATHS } from '@roster/contracts/http';
import type { AppConfig } from '../config/config';
import { say } from '../observability/say';

/** The names the console's build gives files by their content: `chunk-3AYEXOSX.js`, `styles-5INURTSO.css`, its fonts. */
const HASHED = /^[a-z0-9]+(?:-[a-z0-9]+)*-[A-Z0-9]{8}\.(?:js|css|woff2?)$/;

/** The console: its static files from CONSOLE_DIR, and index.html for its client-side routes. */
export function serveConsole(app: NestExpressApplication, config: AppConfig): void {
  if (existsSync(join(config.consoleDir, 'index.html'))) {
    // A file whose name carries its content's hash (`main-3AYEXOSX.js`) never changes: kept a year without asking.
    // Any other (translations, icons) is asked again each time (a 304 when unchanged), so a deployment shows at once.
    const assets = express.static(config.consoleDir, {
      index: false,
      setHeaders: (res, path) =>
        res.setHeader('Cache-Control', HASHED.test(basename(path)) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
    // Compressed for the browsers that accept it (its scripts are about a quarter of their size gzipped). The console's
    // files only: an answer that carries a secret beside what a caller sent is never compressed, as its size would
    // give the secret away (BREACH).
    const compress = compression();
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
      SERVER_PATHS.test(req.path) ? next() : compress(req, res, () => assets(req, res, next)),
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
