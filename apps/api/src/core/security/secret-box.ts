import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encrypts secrets at rest (TOTP seeds) with AES-256-GCM. The key comes from ROSTER_SECRET_KEY
 * (32 bytes, base64) — required when several instances share a database — or, for a single
 * instance, from `<data dir>/secret.key`, generated on first use with mode 0600.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromEnvironment(dataDir: string, log: (msg: string) => void): SecretBox {
    const env = process.env['ROSTER_SECRET_KEY'];
    if (env) {
      const key = Buffer.from(env, 'base64');
      if (key.length !== 32) throw new Error('ROSTER_SECRET_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
      return new SecretBox(key);
    }
    const file = join(dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      try {
        writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
        log(`Generated the encryption key for secrets at rest in ${file} (set ROSTER_SECRET_KEY when running several instances).`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    chmodSync(file, 0o600);
    return SecretBox.fromEnvironmentKey(readFileSync(file, 'utf8').trim());
  }

  private static fromEnvironmentKey(base64: string): SecretBox {
    const key = Buffer.from(base64, 'base64');
    if (key.length !== 32) throw new Error('The secret key file must hold 32 bytes, base64-encoded');
    return new SecretBox(key);
  }

  static forTests(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  /** A MAC of the text (HMAC-SHA256 under a key derived from the secret key, never the key itself). */
  mac(text: string): string {
    this.macKey ??= createHmac('sha256', this.key).update('roster:mac:v1').digest();
    return createHmac('sha256', this.macKey).update(text, 'utf8').digest('base64url');
  }

  private macKey: Buffer | null = null;

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('Unknown secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

export const SECRET_BOX = Symbol('SECRET_BOX');
