import fc from 'fast-check';
import { GraphQLSchema } from 'graphql';
import { startApp, TestApp } from './support/app';
import { loadSchema, operationFields } from './support/schema-cases';
import { B_CALLERS, Case, Pools } from './support/hostile/cases';
import { OPEN_TO_ANYONE } from './support/organizations';
import { caseArbitrary } from './support/hostile/generators';
import { graphqlProtocolCases, PINNED } from './support/hostile/protocol-cases';
import { ERROR_SCHEMA, SCIM_ROUTES, scimCaseArbitrary, scimEnumeratedCases, scimToHttp } from './support/hostile/scim-cases';
import { FailureLog, Observed, observe, Outcomes, problemsOf, serverLogOf } from './support/hostile/verdict';
import { HostileWorld } from './support/hostile/world';

/**
 * Hostile input, generated (fast-check): every Query and Mutation of the committed schema with
 * arguments derived from their types — real ids and garbage, NUL and lone surrogates, 10k-character
 * strings, edge numbers, wrong JSON types, invalid enums, crafted cursors — plus HTTP edge cases on
 * /graphql and the export. Sent one at a time to the real built server, as the signed-in admin
 * (cookie + CSRF), anonymously, as a Viewer and with an admin API token, of organization A; and as organization B's
 * Admin, Viewer and admin API token, naming B (X-Roster-Organization), their references resolved against B's data (now
 * and then another organization's). Now and then a case names another organization instead: garbage (empty, long,
 * non-ASCII, SQL-ish, a UUID of nothing, reserved words), the other organization, or its own named otherwise; the
 * operators' operations get slugs, email domains and confirmations of their own. For every case:
 *   - HTTP status < 500, no INTERNAL_SERVER_ERROR, every GraphQL error has a string extensions.code;
 *   - no stack trace or node_modules path in the response;
 *   - a refused request (errors or a 4xx) changes nothing: the data's fingerprint (every row, both organizations') is
 *     the same before and after;
 *   - a signed-in caller's request naming an organization it may not act in is refused, unless the operation is open
 *     to anyone (and then it changes nothing, as above);
 * and the server still answers /readyz at the end. Cases: every HTTP edge case and the pinned regressions once,
 * then FC_RUNS generated ones (default 3000): fully random arguments, plausible arguments with one hostile value
 * poked in, and users pages with cursors crafted for their sort. All run one after the other (the fingerprint
 * needs it); failures are collected, grouped by cause (with the server's log line) and reported with the
 * smallest request of each group. FC_SEED replays a run (the seed is printed); HOSTILE_DEBUG=1 prints every case.
 *
 * support/hostile/: the generators, the protocol cases and pinned regressions, the world (callers, data, fingerprint)
 * and the verdict (the properties, the report).
 */

const SEED = process.env['FC_SEED'] ? Number(process.env['FC_SEED']) : 20_261_128;
const RUNS = process.env['FC_RUNS'] ? Number(process.env['FC_RUNS']) : 3000;
const SCIM_RUNS = process.env['FC_SCIM_RUNS'] ? Number(process.env['FC_SCIM_RUNS']) : 700;

/**
 * What a SCIM answer must be besides the properties of every answer: a refusal is a SCIM error (RFC 7644 §3.12: the
 * Error schema, `status` the HTTP status as a string, a detail); a success with a body is JSON.
 */
function scimProblems(r: Observed): string[] {
  if (r.networkError) return [];
  let json: { schemas?: unknown; status?: unknown; scimType?: unknown; detail?: unknown } | undefined;
  try {
    json = JSON.parse(r.text);
  } catch {
    json = undefined;
  }
  if (r.status < 400) return r.status === 204 || json !== undefined ? [] : [`HTTP ${r.status} answered without JSON`];
  // Node's HTTP parser refuses a request line and headers over 16 kB before any route (no body): not SCIM's to answer.
  if (r.status === 431 && r.text === '') return [];
  if (!json || typeof json !== 'object') return [`HTTP ${r.status} is not a SCIM error (not a JSON object)`];
  const problems: string[] = [];
  if (!Array.isArray(json.schemas) || json.schemas[0] !== ERROR_SCHEMA) problems.push('a refusal without the SCIM Error schema');
  if (json.status !== String(r.status)) problems.push(`a SCIM error whose status is ${JSON.stringify(json.status)}, not "${r.status}"`);
  if (json.scimType !== undefined && typeof json.scimType !== 'string') problems.push('a SCIM error whose scimType is not text');
  if (typeof json.detail !== 'string') problems.push('a SCIM error without a detail');
  return problems;
}

describe('hostile input (property-based)', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let world: HostileWorld;

  beforeAll(async () => {
    // Private targets allowed: valid endpoint creations succeed (refusing addresses is the webhooks suite's job).
    // Nothing delivered (WEBHOOK_DELIVERY=false): generated URLs are saved, never sent to, and deliveries stay as written.
    app = await startApp('hostile', { ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_DELIVERY: 'false' });
    schema = loadSchema();
    world = new HostileWorld(app, schema);
    await world.populate();

    await world.prepareFingerprint();
    expect(world.fingerprintSql).toContain('fp_users');
    expect(world.fingerprintSql).toContain('fp_audit_events');
    expect(world.fingerprintSql).not.toContain('fp_rate_limits');
    // The fingerprint sees a change of data, and not a session merely being used.
    const fp0 = await world.fingerprintNow();
    await app.sql(`UPDATE sessions SET last_seen_at = last_seen_at - interval '1 minute'`);
    await app.sql(`UPDATE api_tokens SET last_used_at = now()`);
    expect(await world.fingerprintNow()).toEqual(fp0);
    await app.admin.ok(`mutation { createTeam(input: { name: "Fingerprint check" }) { id } }`);
    const fp1 = await world.fingerprintNow();
    const changed = (x: Record<string, string>, y: Record<string, string>) =>
      Object.keys(x)
        .filter((t) => x[t] !== y[t])
        .sort();
    // (Each organization's endpoint hears of its teams: the event's delivery is a row too.)
    expect(changed(fp0, fp1)).toEqual(['audit_events', 'teams', 'webhook_deliveries']);
    // …and B's rows as well as A's.
    await world.clients.adminB.ok(`mutation { createTeam(input: { name: "Fingerprint check" }) { id } }`);
    expect(changed(fp1, await world.fingerprintNow())).toEqual(['audit_events', 'teams', 'webhook_deliveries']);
  }, 120_000);

  afterAll(() => app?.close());

  it(`keeps every property for ${RUNS} generated cases (seed ${SEED})`, async () => {
    console.log(`hostile-input: seed ${SEED} (FC_SEED=${SEED} reproduces), ${RUNS} generated cases`);
    // Every HTTP edge case once and the pinned cases (enumerated), then the generated ones.
    const cases: Case[] = [...graphqlProtocolCases(), ...PINNED, ...fc.sample(caseArbitrary(schema), { numRuns: RUNS, seed: SEED })];
    const operationKind = new Map(operationFields(schema).map((f) => [f.name, f.kind]));
    // Every Query and Mutation field but signOut is generated (and signOut is not).
    const generated = new Set(cases.flatMap((c) => (c.type === 'gql' ? [c.field] : [])));
    expect([...operationKind.keys()].filter((f) => !generated.has(f))).toEqual([]);
    expect(generated.has('signOut')).toBe(false);
    const failures = new FailureLog();
    const outcomes = new Outcomes();
    /** Cases of B's callers, and signed-in cases naming an organization the caller may not act in. */
    let ofB = 0;
    let foreign = 0;
    const started = Date.now();

    for (const [index, c] of cases.entries()) {
      const { pools, fingerprint: before } = await world.pools();
      const logMark = app.server.output().length;
      const sent = await world.send(c, pools);
      const { observed } = sent;

      const verdict = problemsOf(observed, sent.graphql);
      const insideAnOrganization = c.type === 'gql' ? !OPEN_TO_ANYONE.has(c.field) : c.label === 'GET /api/export/users';
      if (sent.foreignHeader && c.who !== 'anonymous' && insideAnOrganization) {
        foreign++;
        if (!verdict.refused) verdict.problems.push('answered though X-Roster-Organization names no organization the caller may act in');
      }
      if (B_CALLERS.includes(c.who)) ofB++;
      const answered = verdict.codes[0] ?? (verdict.refused ? `HTTP ${observed.status}` : 'OK');
      if (c.type === 'gql' && c.expected && answered !== c.expected) verdict.problems.push(`answered ${answered}, not ${c.expected}`);
      if (process.env['HOSTILE_DEBUG'])
        process.stdout.write(
          `#${index} ${sent.request.slice(0, 400)}\n   -> ${observed.status} ${observed.networkError ?? ''} ${observed.text.slice(0, 300)}\n`,
        );
      let changedTables: string[] = [];
      if (verdict.refused) {
        const after = await world.fingerprintNow();
        changedTables = Object.keys(before).filter((t) => before[t] !== after[t]);
        if (changedTables.length) verdict.problems.push(`a refused request changed data (${changedTables.join(', ')})`);
      }
      outcomes.add(sent.target, c.who, verdict, observed.status);

      if (verdict.problems.length) {
        await new Promise((r) => setTimeout(r, 50)); // let the server's log line arrive
        const serverLog = serverLogOf(app.server.output().slice(logMark));
        failures.add({ index, target: sent.target, request: sent.request, observed, verdict, changedTables, serverLog });
      }

      // Harvest single-use secrets the later cases can use (invitation tokens, sign-in challenges, cursors); keep the world in place.
      world.harvest(c, sent, verdict);
      if (index % 150 === 149) await world.replenish();
      const wrote = c.type === 'gql' ? operationKind.get(c.field) === 'mutation' : c.method !== 'GET';
      if ((wrote && !verdict.refused) || observed.networkError) await world.maintain();
    }

    const seconds = (Date.now() - started) / 1000;
    console.log(
      `hostile-input: ${cases.length} cases in ${seconds.toFixed(1)} s (seed ${SEED}); ${ofB} as B's callers, ${foreign} naming an organization the caller may not act in\n  ${outcomes.summary()}`,
    );

    const ready = await observe(() => app.client().fetch('/readyz'));
    expect(ready.status).toBe(200);

    if (failures.size) {
      throw new Error(
        `${failures.size} distinct failures over ${cases.length} cases (seed ${SEED}; FC_SEED=${SEED} to replay):\n\n${failures.report()}`,
      );
    }
    expect(cases.length).toBeGreaterThanOrEqual(2000);
    expect(ofB).toBeGreaterThanOrEqual(cases.length / 5);
    expect(foreign).toBeGreaterThanOrEqual(cases.length / 40);
  }, 600_000);

  it(`SCIM: keeps every property, every refusal a SCIM error, for ${SCIM_RUNS} generated cases (seed ${SEED})`, async () => {
    // Each attribute given each wrong type, each raw body and content type, each extreme filter once; then the generated ones.
    const enumerated = scimEnumeratedCases();
    const cases = [...enumerated, ...fc.sample(scimCaseArbitrary, { numRuns: SCIM_RUNS, seed: SEED })];
    console.log(`hostile-input (SCIM): seed ${SEED}, ${enumerated.length} enumerated and ${SCIM_RUNS} generated cases`);
    // The tokens' owners are no target (a token's own owner is the self rules' business, the conformance suite's): one
    // whose email a case changed could not sign in again, and the world could not be put back.
    const owners = new Set([app.adminId, world.b.people.ADMIN.userId]);
    const withoutOwners = (p: Pools): Pools => ({
      ...p,
      user: p.user.filter((id) => !owners.has(id)),
      other: p.other && { ...p.other, user: p.other.user.filter((id) => !owners.has(id)) },
    });
    const failures = new FailureLog();
    const outcomes = new Outcomes();
    /** The routes that answered a success at least once (they exist, and the cases get through to them). */
    const reached = new Set<string>();
    let tokens = 0;
    let foreign = 0;
    const started = Date.now();
    for (const [index, sc] of cases.entries()) {
      const { pools, fingerprint: before } = await world.pools();
      const c = scimToHttp(sc, withoutOwners(pools[B_CALLERS.includes(sc.who) ? 'B' : 'A']));
      const logMark = app.server.output().length;
      const sent = await world.send(c, pools);
      const { observed } = sent;
      const verdict = problemsOf(observed, false);
      // /Bulk and /Me are advertised as unsupported: 501 is their answer (design §3), a SCIM error as every other.
      if (observed.status === 501 && /^\/scim\/v2\/(Bulk|Me)(\/|\?|$)/.test(c.path))
        verdict.problems = verdict.problems.filter((x) => x !== 'HTTP 501');
      verdict.problems.push(...scimProblems(observed));
      if (observed.status >= 200 && observed.status < 300) reached.add(sc.route);
      if (sc.who === 'bearer' || sc.who === 'bearerB') {
        tokens++;
        if (sent.foreignHeader) {
          foreign++;
          if (!verdict.refused) verdict.problems.push('answered though X-Roster-Organization names another organization than the token’s');
        }
      } else if (!verdict.refused)
        verdict.problems.push(`answered ${observed.status} to ${sc.who === 'admin' ? 'a browser session' : 'no token'}`);
      if (process.env['HOSTILE_DEBUG'])
        process.stdout.write(
          `#${index} ${sent.request.slice(0, 400)}\n   -> ${observed.status} ${observed.networkError ?? ''} ${observed.text.slice(0, 300)}\n`,
        );
      let changedTables: string[] = [];
      if (verdict.refused) {
        const after = await world.fingerprintNow();
        changedTables = Object.keys(before).filter((t) => before[t] !== after[t]);
        if (changedTables.length) verdict.problems.push(`a refused request changed data (${changedTables.join(', ')})`);
      }
      outcomes.add(sent.target, sc.who, verdict, observed.status);
      if (verdict.problems.length) {
        await new Promise((r) => setTimeout(r, 50));
        const serverLog = serverLogOf(app.server.output().slice(logMark));
        failures.add({ index, target: sent.target, request: sent.request, observed, verdict, changedTables, serverLog });
      }
      if (index % 150 === 149) await world.replenish();
      if ((c.method !== 'GET' && !verdict.refused) || observed.networkError) await world.maintain();
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `hostile-input (SCIM): ${cases.length} cases in ${seconds.toFixed(1)} s (seed ${SEED}); ${tokens} with a token, ${foreign} naming another organization\n  routes answering a success: ${SCIM_ROUTES.filter((r) => reached.has(r)).join(', ')}\n  no success (refusals only): ${SCIM_ROUTES.filter((r) => !reached.has(r)).join(', ') || 'none'}\n  ${outcomes.summary()}`,
    );
    const ready = await observe(() => app.client().fetch('/readyz'));
    expect(ready.status).toBe(200);
    if (failures.size)
      throw new Error(
        `${failures.size} distinct failures over ${cases.length} SCIM cases (seed ${SEED}; FC_SEED=${SEED} to replay):\n\n${failures.report()}`,
      );
    // The cases get through to the routes (a success at least once), reads and creations; the replacements mostly meet a
    // poked body, a random id or an email of someone else's, and are judged by their refusals.
    for (const r of ['GET /ServiceProviderConfig', 'GET /Users', 'GET /Users/:id', 'POST /Users', 'GET /Groups', 'POST /Groups'])
      expect(reached).toContain(r);
    expect(tokens).toBeGreaterThanOrEqual(cases.length / 2);
    expect(foreign).toBeGreaterThan(0);
  }, 400_000);
});
