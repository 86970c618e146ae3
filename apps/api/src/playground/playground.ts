import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { join } from 'node:path';
import { Cookie, Header } from '@roster/contracts/http';

/**
 * The GraphQL playground: GraphiQL served from our own files (no CDN, works offline): the build copies React,
 * ReactDOM and GraphiQL's browser files into dist/apps/api/playground (tools/build-api.mjs), beside main.js.
 * `GET /graphql` from a browser (Accept: text/html, no query) gets the page; its scripts are files
 * under /playground (the CSP allows no inline script). It uses the session cookie + CSRF header,
 * or an `Authorization: Bearer rst_…` header typed in GraphiQL's headers tab.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Roster GraphQL playground</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/playground/graphiql.min.css">
  <link rel="stylesheet" href="/playground/playground.css">
</head>
<body>
  <div id="graphiql" role="main" aria-label="GraphQL playground">Loading the playground…</div>
  <script src="/playground/react.production.min.js"></script>
  <script src="/playground/react-dom.production.min.js"></script>
  <script src="/playground/graphiql.min.js"></script>
  <script src="/playground/playground.js"></script>
</body>
</html>`;

const INIT = `(function () {
  function csrf() {
    var m = document.cookie.match(/(?:^|; )${Cookie.Csrf}=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
  }
  function fetcher(params, options) {
    var headers = Object.assign({ 'content-type': 'application/json', '${Header.Csrf}': csrf() }, (options && options.headers) || {});
    return fetch('/graphql', { method: 'POST', credentials: 'same-origin', headers: headers, body: JSON.stringify(params) })
      .then(function (r) { return r.json(); });
  }
  var defaultQuery = '# Roster GraphQL playground.\\n# Signed in to the console? Your session is used. Otherwise add a header:\\n' +
    '#   { "Authorization": "Bearer rst_..." }\\n\\nquery FirstUsers {\\n  users(first: 10) {\\n    totalCount\\n' +
    '    edges { node { email firstName lastName role { name } teams { name } permissionLevel lastSignInAt } }\\n  }\\n}\\n';
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, isHeadersEditorEnabled: true, shouldPersistHeaders: false }));
})();`;

const CSS = `html, body, #graphiql { height: 100%; margin: 0; }`;

export function playground(): express.Router {
  const router = express.Router();
  const dir = join(__dirname, 'playground');
  const files = new Set(['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'graphiql.min.css']);
  router.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
    if (req.query['query'] !== undefined || !req.accepts('html') || req.accepts(['application/json', 'html']) === 'application/json')
      return next();
    res.type('html').setHeader('Cache-Control', 'no-cache');
    res.send(PAGE);
  });
  router.get('/playground/playground.js', (_req, res) => void res.type('application/javascript').send(INIT));
  router.get('/playground/playground.css', (_req, res) => void res.type('text/css').send(CSS));
  router.get('/playground/:file', (req, res, next) => {
    const file = String(req.params['file']);
    if (!files.has(file)) return next();
    res.sendFile(join(dir, file), { maxAge: '1d' });
  });
  return router;
}
