import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { redactRequest } from './core/log-redaction';
import { ApiTokenAuthService } from './api-tokens/api-token-auth.service';
import { ApiTokensService } from './api-tokens/api-tokens.service';
import { AuditService } from './audit/audit.service';
import { AccessGuard } from './auth/access.guard';
import { AuthService } from './auth/auth.service';
import { PasswordService } from './auth/password.service';
import { RateLimitService } from './auth/rate-limit.service';
import { SessionService } from './auth/session.service';
import { TrustedDevices } from './auth/trusted-device';
import { JanitorService } from './core/janitor.service';
import { APP_CONFIG, AppConfig } from './core/config';
import { SECRET_BOX, SecretBox } from './core/secret-box';
import { TwoFactorService } from './two-factor/two-factor.service';
import { SsoController } from './sso/sso.controller';
import { SsoService } from './sso/sso.service';
import { formatError } from './core/format-error';
import type { HttpContext } from './core/http-context';
import { GRAPHQL_LIMITS, graphqlArmor } from './core/graphql-limits';
import { HttpErrorFilter } from './core/http-error.filter';
import { RESOLVERS } from './core/resolvers';
import { safeInputPlugin } from './core/safe-input.plugin';
import { sqlStatementsPlugin } from './core/sql-statements.plugin';
import { dataSourceOptions } from './database/data-source';
import { ExportController } from './export/export.controller';
import { ExportService } from './export/export.service';
import { HealthController } from './health/health.controller';
import { InvitationsService } from './invitations/invitations.service';
import { SetupService } from './invitations/setup.service';
import { RolesSyncService } from './roles/roles-sync.service';
import { TeamsService } from './teams/teams.service';
import { ProfileService } from './users/profile.service';
import { UsersService } from './users/users.service';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const armor = graphqlArmor(config.playground);
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            autoLogging: ['trace', 'debug', 'info'].includes(config.logLevel)
              ? { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' }
              : false,
            serializers: {
              req: stdSerializers.wrapRequestSerializer((req) => redactRequest(req)),
            },
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.database, config.sqlStatementHeader)),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          ...armor,
          allowBatchedHttpRequests: false,
          // No automatic persisted queries: every request carries its query (a hash alone is refused with a 400).
          persistedQueries: false,
          parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          graphiql: false,
          introspection: config.playground,
          includeStacktraceInErrorResponses: false,
          csrfPrevention: true,
          formatError,
          context: ({ req, res }: HttpContext): HttpContext => ({ req, res }),
          plugins: [
            ...armor.plugins,
            safeInputPlugin,
            ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), ...(config.sqlStatementHeader ? [sqlStatementsPlugin] : [])],
        }),
      ],
      controllers: [HealthController, ExportController, SsoController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SECRET_BOX, useFactory: () => SecretBox.fromEnvironment(config.dataDir, (m) => process.stdout.write(`[roster] ${m}\n`)) },
        TwoFactorService,
        SsoService,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        ...RESOLVERS,
        ApiTokenAuthService,
        ApiTokensService,
        AuditService,
        AuthService,
        PasswordService,
        RateLimitService,
        SessionService,
        TrustedDevices,
        JanitorService,
        ExportService,
        InvitationsService,
        SetupService,
        RolesSyncService,
        TeamsService,
        ProfileService,
        UsersService,
      ],
    };
  }
}
