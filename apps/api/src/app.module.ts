import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AccessGuard } from './core/access/access.guard';
import { AppConfig } from './core/config/config';
import { CoreModule } from './core/core.module';
import { HttpErrorFilter } from './core/errors/http-error.filter';
import { graphqlOptions, loggerOptions } from './core/roots';
import { dataSourceOptions } from './core/database/data-source';
import { ENTITIES } from './entities';
import { FEATURE_MODULES } from './features';

/** Composes the roots (logging, database, GraphQL, core), the global guard and error filter, and the features. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.database, config.sqlStatementHeader, ENTITIES)),
        GraphQLModule.forRoot(graphqlOptions(config)),
        CoreModule.forRoot(config),
        ...FEATURE_MODULES,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
