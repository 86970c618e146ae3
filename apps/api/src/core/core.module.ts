import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './config/config';
import { JanitorService } from './database/janitor.service';
import { ChangeFeed } from './database/change-feed';
import { OrgDb } from './database/org-db';
import { PreparedStatements } from './fast-path/prepared';
import { ReadYourWritesPlugin } from './graphql/read-your-writes.plugin';
import { PrincipalCache } from './access/principal-cache';
import { CredentialHooks } from './access/credential-hooks';
import { SECRET_BOX, SecretBox } from './security/secret-box';
import { PasswordService } from './security/password.service';
import { RateLimitService } from './security/rate-limit.service';

/**
 * What every feature may use, below them all: configuration, the secret box, password hashing,
 * attempt limits, the janitor and the credential hooks. Global, so features need not import it.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: config },
      {
        provide: SECRET_BOX,
        useFactory: () => SecretBox.fromEnvironment(config.dataDir, (m: string) => process.stdout.write(`[roster] ${m}\n`)),
      },
      PasswordService,
      RateLimitService,
      JanitorService,
      ChangeFeed,
      OrgDb,
      PreparedStatements,
      PrincipalCache,
      CredentialHooks,
      ReadYourWritesPlugin,
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}
