/**
 * PostGraphile v5 over the bench's database, for `npm run bench:postgraphile` (postgraphile.ts), which
 * runs it on a Node.js >= 22 (PostGraphile 5's requirement) with PostGraphile installed in a cache
 * directory outside the project's dependencies:
 *
 *   node tools/bench/postgraphile-server.mjs <install dir> <database url> <port> <pool size>
 *
 * What a PostGraphile user would write: the amber preset, the public schema introspected once at start,
 * the connection-filter plugin (its `includesInsensitive` is an ILIKE, which the trigram index on
 * memberships' email serves), one smart tag (below), a pg pool of Roster's size, and production settings: no GraphiQL, no
 * explain, no watch mode (NODE_ENV=production is set by the caller). It connects as the database's
 * owner, a superuser here, so the tables' row-level security does not apply: fine for a read benchmark,
 * where every query names its organization in its condition. Prints "listening <url>" once it serves.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [installDir, connectionString, port, poolSize] = process.argv.slice(2);
if (!installDir || !connectionString || !port || !poolSize) {
  console.error('usage: postgraphile-server.mjs <install dir> <database url> <port> <pool size>');
  process.exit(2);
}
// The packages come from the install directory (not the project's node_modules, which has none of them).
const require = createRequire(join(installDir, 'noop.js'));
const { postgraphile } = require('postgraphile');
const { grafserv } = require('postgraphile/grafserv/node');
const { PostGraphileAmberPreset } = require('postgraphile/presets/amber');
const { makePgService } = require('postgraphile/adaptors/pg');
const { jsonPgSmartTags } = require('postgraphile/utils');
const { PostGraphileConnectionFilterPreset } = require('postgraphile-plugin-connection-filter');

/**
 * A member's teams: amber exposes a backward relation only when PostgreSQL has an index holding all its
 * columns, and user_teams' foreign key to memberships, (organization_id, user_id), is served by its
 * primary key (user_id, team_id) through user_id alone. The smart tag says it is indexed (it is, in fact)
 * so that `userTeamsByOrganizationIdAndUserId` exists, without changing the database.
 */
const TeamsOfAMember = jsonPgSmartTags({
  version: 1,
  config: { class: { user_teams: { constraint: { FK_user_teams_membership: { tags: { isIndexed: true } } } } } },
});

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  plugins: [TeamsOfAMember],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: Number(poolSize) } })],
  grafserv: { graphiql: false, watch: false, websockets: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
// The schema is built before the first request is answered, not on it.
await pgl.getSchema();
server.listen(Number(port), '127.0.0.1', () => console.log(`listening http://127.0.0.1:${port}/graphql`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    pgl.release().finally(() => process.exit(0));
  });
}
