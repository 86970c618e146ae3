import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server';

/** Starts tools/testing/oidc-provider.mjs (a real OpenID provider) on loopback. */
export interface TestAccount {
  email: string;
  emailVerified?: boolean;
  givenName?: string;
  familyName?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Rewrites the accounts the provider knows (read on every look-up). */
  setAccounts(accounts: Record<string, TestAccount>): void;
  stop(): Promise<void>;
}

export async function startOidcProvider(port: number, appUrl: string, accounts: Record<string, TestAccount>): Promise<TestOidcProvider> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-oidc-'));
  const file = join(dir, 'accounts.json');
  const setAccounts = (a: Record<string, TestAccount>) => writeFileSync(file, JSON.stringify(a));
  setAccounts(accounts);
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'tools/testing/oidc-provider.mjs'), String(port), appUrl, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const deadline = Date.now() + 20_000;
  while (!out.includes('oidc-provider ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`oidc-provider did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    issuer: `http://127.0.0.1:${port}`,
    clientId: 'roster',
    clientSecret: 'roster-test-secret-0123456789abcdef',
    setAccounts,
    stop: () =>
      new Promise<void>((ok) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          ok();
        });
        child.kill('SIGTERM');
      }),
  };
}
