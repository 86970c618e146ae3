import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../../tools/testing/server';
import { startApp, TestApp } from './support/app';

/**
 * The GraphQL fast path (apps/api/src/core/fast-path/README.md) on the built server. Each trick counts
 * what it did in `roster_fast_path_uses`: with GRAPHQL_FAST_PATH=off every count stays 0, and the
 * console's operations get the same answers, byte for byte, as with it on.
 */
const TOKEN = 'metrics-token-0123456789';
const TRICKS = ['direct_http', 'compiled', 'result_json', 'validation_shortcut', 'plain_fields', 'negotiation', 'query_hash'];

/** `roster_fast_path_uses`, by trick. */
async function uses(app: TestApp): Promise<Record<string, number>> {
  const res = await fetch(`${app.server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await res.text();
  return Object.fromEntries([...text.matchAll(/^roster_fast_path_uses\{trick="([a-z_]+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

/** The console's documents (libs/console/data-access), each operation with the fragments it uses. */
function consoleDocuments(): Record<string, string> {
  const dir = join(ROOT, 'libs/console/data-access/src/operations');
  const definitions: DefinitionNode[] = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .flatMap((f) => parse(readFileSync(join(dir, f), 'utf8')).definitions);
  const fragments = new Map(
    definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const documents: Record<string, string> = {};
  for (const operation of definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
    const used = new Set<string>();
    const collect = (node: DefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          if (used.has(spread.name.value)) return;
          used.add(spread.name.value);
          collect(fragments.get(spread.name.value) as FragmentDefinitionNode);
        },
      });
    collect(operation);
    documents[operation.name?.value ?? ''] = [operation, ...[...used].map((name) => fragments.get(name) as FragmentDefinitionNode)]
      .map((d) => print(d))
      .join('\n');
  }
  return documents;
}

describe('the GraphQL fast path', () => {
  let on: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    [on, off] = await Promise.all([
      startApp('fast-on', { METRICS_TOKEN: TOKEN }),
      startApp('fast-off', { METRICS_TOKEN: TOKEN, GRAPHQL_FAST_PATH: 'off' }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await on?.close();
    await off?.close();
  });

  it('unwraps the plain fields of the schema Nest built from our resolvers (its private reader still recognised)', async () => {
    // 105 today: every field of every object type but those with arguments or a resolver of ours.
    expect((await uses(on))['plain_fields']).toBeGreaterThan(90);
    expect(on.server.output()).not.toContain("No field resolver of Nest's");
  });

  it('answers the console’s operations byte for byte the same with GRAPHQL_FAST_PATH=off, with every trick off', async () => {
    const documents = consoleDocuments();
    /** The same operations in the same order on one server: its answers (status and body text), each sent three times (compiled from the second). */
    const script = async (app: TestApp) => {
      const admin = app.admin;
      const answers: string[] = [];
      const send = async (name: string, variables: Record<string, unknown> = {}, times = 3) => {
        let body: unknown = null;
        for (let i = 0; i < times; i++) {
          const res = await admin.fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: documents[name], operationName: name, variables }),
          });
          const text = await res.text();
          answers.push(`${name} ${res.status} ${text}`);
          body = JSON.parse(text);
        }
        return body as { data: Record<string, { id: string; user?: { id: string } }> };
      };
      for (const name of ['Me', 'AuthConfig', 'Roles', 'Teams', 'TwoFactorPolicy', 'AuditActions', 'MySessions', 'MyApiTokens'])
        await send(name);
      const team = (await send('CreateTeam', { input: { name: 'Platform' } }, 1)).data['createTeam'].id;
      await send('CreateTeam', { input: { name: 'Design' } }, 1);
      await send('RenameTeam', { id: team, input: { name: 'Platform team' } });
      const invited = (
        await send('CreateInvitation', { input: { email: 'bo@example.com', roleId: app.roles['MEMBER'], teamIds: [team] } }, 1)
      ).data['createInvitation'].user?.id;
      await send('CreateInvitation', { input: { email: 'cy@example.com', roleId: app.roles['VIEWER'], teamIds: [] } }, 1);
      await send('UpdateUser', { input: { id: invited, firstName: 'Bo', lastName: 'Member' } });
      await send('UpdateMyProfile', { input: { firstName: 'Ada', theme: 'DARK' } });
      const page = { sortBy: 'EMAIL', sortDirection: 'ASC' };
      await send('Users', { ...page, first: 10 });
      await send('Users', { ...page, first: 2, search: 'example' });
      await send('Users', { ...page, first: 10, status: 'INVITED' });
      // Refused: by class-validator's rules (an argument out of range), by graphql-js's coercion (a variable of the wrong type).
      await send('Users', { ...page, first: -1 });
      await send('Users', { ...page, first: 'ten' });
      await send('Teams');
      await send('UserSessions', { userId: app.adminId });
      await send('EmailsInUse', { emails: ['bo@example.com', 'nobody@example.com'] });
      await send('AllApiTokens', { first: 10 });
      await send('AuditEvents', { first: 20 });
      return answers;
    };
    // Each server's own address, ids, times, cursors and link tokens (ids and tokens numbered in the order they appear).
    const normalised = (app: TestApp, answers: string[]) => {
      const seen = new Map<string, string>();
      const mark = (kind: string) => (value: string) => {
        if (!seen.has(value)) seen.set(value, `<${kind} ${seen.size}>`);
        return seen.get(value) as string;
      };
      return answers.map((answer) =>
        answer
          .replaceAll(app.server.url, '<server>')
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, mark('id'))
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
          .replace(/"(cursor|startCursor|endCursor)":"[^"]*"/g, (_m, key: string) => `"${key}":"<cursor>"`)
          .replace(/token=[A-Za-z0-9_-]+/g, mark('token')),
      );
    };
    const fast = normalised(on, await script(on));
    const plain = normalised(off, await script(off));
    expect(fast).toEqual(plain);
    expect(fast.length).toBeGreaterThan(50);

    // Every trick served the fast server, none the other.
    const [onUses, offUses] = [await uses(on), await uses(off)];
    for (const trick of TRICKS) expect({ trick, on: onUses[trick] > 0, off: offUses[trick] }).toEqual({ trick, on: true, off: 0 });
  }, 60_000);
});
