import { Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { playground } from './playground';

/** The offline GraphiQL playground (`GET /graphql` from a browser, files under /playground), when GRAPHQL_PLAYGROUND is on. */
@Module({})
export class PlaygroundModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    if (this.config.playground) consumer.apply(playground()).forRoutes({ path: '*path', method: RequestMethod.GET });
  }
}
