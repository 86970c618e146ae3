import { Client as Pg } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../tools/testing/database';
import { startServer, TestServer } from '../../../../tools/testing/server';
import { Client, Json } from './client';

export const STRONG_PASSWORD = 'correct horse battery staple';

export const ME_FIELDS = `user { id email firstName lastName status role { id key name } teams { id name } permissionLevel lastSignInAt }
  language theme permissions`;

/** One suite's world: its own database, a real API server on it, and a signed-in first admin. */
export interface TestApp {
  db: TestDatabase;
  server: TestServer;
  admin: Client;
  adminId: string;
  sql<T = Json>(text: string, params?: unknown[]): Promise<T[]>;
  roles: Record<string, string>;
  client(opts?: ConstructorParameters<typeof Client>[1]): Client;
  invite(email: string, roleKey: string, teamIds?: string[], by?: Client): Promise<{ url: string; token: string; userId: string }>;
  register(email: string, roleKey: string, teamIds?: string[]): Promise<{ client: Client; userId: string }>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The address the server should use for its database (e.g. through a proxy), given the database's own. */
  serverDatabaseUrl?: (url: string) => string;
}

export async function startApp(
  label: string,
  env: Record<string, string> = {},
  port?: number,
  options: StartOptions = {},
): Promise<TestApp> {
  const db = await createTestDatabase(label, { migrated: true });
  const server = await startServer(options.serverDatabaseUrl?.(db.url) ?? db.url, env, port);
  const pg = new Pg({ connectionString: db.url });
  pg.on('error', () => undefined); // a fault test stops the database under it
  await pg.connect();
  const sql = async <T>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as T[];
  if (!server.setupUrl) throw new Error(`no set-up URL printed:\n${server.output()}`);
  const token = new URL(server.setupUrl).searchParams.get('token');
  const admin = new Client(server.url);
  const setup = await admin.ok(`mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`, {
    i: {
      token,
      email: 'admin@example.com',
      firstName: 'Ada',
      lastName: 'Admin',
      password: STRONG_PASSWORD,
      passwordConfirmation: STRONG_PASSWORD,
    },
  });
  const roleRows = await sql<{ key: string; id: string }>(`SELECT key, id FROM roles`);
  const roles = Object.fromEntries(roleRows.map((r) => [r.key, r.id]));
  const app: TestApp = {
    db,
    server,
    admin,
    adminId: setup.setupFirstAdmin.user.id,
    sql,
    roles,
    client: (opts) => new Client(server.url, opts),
    async invite(email, roleKey, teamIds = [], by = admin) {
      const r = await by.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`, {
        i: { email, roleId: roles[roleKey], teamIds },
      });
      const url: string = r.createInvitation.url;
      return { url, token: new URL(url).searchParams.get('token') as string, userId: r.createInvitation.user.id };
    },
    async register(email, roleKey, teamIds = []) {
      const inv = await app.invite(email, roleKey, teamIds);
      const client = new Client(server.url);
      await client.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
        i: { token: inv.token, firstName: 'Test', lastName: roleKey, password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
      });
      return { client, userId: inv.userId };
    },
    async close() {
      await pg.end();
      await server.stop();
      await db.drop();
    },
  };
  return app;
}
