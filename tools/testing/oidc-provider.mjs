// A real OpenID provider (the `oidc-provider` package) for SSO tests, run as its own process:
//   node tools/testing/oidc-provider.mjs <port> <app url> <accounts.json>
// Accounts are re-read from the JSON file on every look-up, so tests can change them.
// Its development interactions show a login form (any password; the login names the account) and a consent form.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [port, appUrl, accountsFile] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'roster',
      client_secret: 'roster-test-secret-0123456789abcdef',
      redirect_uris: [`${appUrl}/auth/sso/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name', 'name'] },
  scopes: ['openid', 'email', 'profile'],
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ['oidc-test-cookie-key'] },
  findAccount: async (_ctx, id) => {
    const a = JSON.parse(readFileSync(accountsFile, 'utf8'))[id];
    if (!a) return undefined;
    return {
      accountId: id,
      claims: async () => ({
        sub: id,
        email: a.email,
        email_verified: a.emailVerified ?? true,
        given_name: a.givenName ?? 'Sso',
        family_name: a.familyName ?? 'User',
        name: `${a.givenName ?? 'Sso'} ${a.familyName ?? 'User'}`,
      }),
    };
  },
});
provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`oidc-provider ready on ${issuer}\n`));
