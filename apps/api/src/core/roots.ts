import { DateTimeScalar } from './graphql/date-time';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { metricsPlugin } from './observability/metrics';
import { compiledExecution } from './fast-path/compiled-execution';
import { rememberNegotiations } from './fast-path/negotiation';
import { rememberQueryHashes } from './fast-path/query-hash';
import { unwrapNestFields } from './fast-path/plain-fields';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { Logger, RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { Header } from '@roster/contracts/http';
import type { AppConfig } from './config/config';
import { formatError } from './errors/format-error';
import { GRAPHQL_LIMITS, graphqlArmor } from './graphql/graphql-limits';
import type { HttpContext } from './http/http-context';
import { redactRequest } from './observability/log-redaction';
import { noPrototypeAlias } from './graphql/safe-aliases';
import { safeInputPlugin } from './graphql/safe-input.plugin';
import { sqlStatementsPlugin } from './observability/sql-statements.plugin';

/** The root GraphQL server (Apollo, code first): limits, error shape, input checks at the edge. */
export function graphqlOptions(config: AppConfig): ApolloDriverConfig {
  const armor = graphqlArmor(config.playground);
  // The fast path (fast-path/), all off with GRAPHQL_FAST_PATH=off. Compiled execution is also
  // off under tracing (its GraphQL spans come from graphql-js's own execute).
  const fast = config.graphqlFastPath;
  const compiled = fast && !config.tracing ? compiledExecution() : null;
  if (fast) {
    rememberNegotiations();
    rememberQueryHashes();
  }
  return {
    driver: ApolloDriver,
    ...armor,
    validationRules: [...armor.validationRules, noPrototypeAlias],
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: every request carries its query (a hash alone is refused with a 400).
    persistedQueries: false,
    parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // One DateTime for the whole schema, read as strictly as the HTTP routes read dates.
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
    graphiql: false,
    introspection: config.playground,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    formatError,
    // Compact JSON (Apollo pretty-prints by default: a third more bytes and time for nobody).
    stringifyResult: compiled ? (result) => compiled.stringify(result) : (result) => JSON.stringify(result),
    context: ({ req, res }: HttpContext): HttpContext => ({ req, res }),
    // Fields that only read a property are read directly, not through a resolver each (plain-fields.ts).
    transformSchema: (schema: GraphQLSchema) => {
      if (fast) unwrapNestFields(schema, (message) => new Logger('GraphQL').warn(message));
      return compiled ? compiled.useSchema(schema) : schema;
    },
    ...(compiled ? { gateway: compiled.gateway } : {}),
    plugins: [
      ...armor.plugins,
      safeInputPlugin,
      metricsPlugin,
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(config.sqlStatementHeader ? [sqlStatementsPlugin] : []),
      ...(compiled ? [compiled.plugin] : []),
    ],
  };
}

/** At `info` and below every request is logged (Express's routes by pino-http, GraphQL POSTs on the direct path by request-log.ts). */
export function logsEveryRequest(config: AppConfig): boolean {
  return ['trace', 'debug', 'info'].includes(config.logLevel);
}

/**
 * JSON logs (pino): health checks not logged, secrets redacted from headers and URLs. At `warn` and
 * above no request is logged, so none gets a request logger either (pino-http's child logger, with the
 * request serialised into it, and its async context cost ~0.1 ms per request): warnings and errors are
 * then logged without the request they came from.
 */
export function loggerOptions(config: AppConfig): Params {
  const perRequest = logsEveryRequest(config);
  return {
    ...(perRequest ? {} : { exclude: [{ path: '{*splat}', method: RequestMethod.ALL }] }),
    pinoHttp: {
      level: config.logLevel,
      autoLogging: perRequest ? { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' } : false,
      serializers: { req: stdSerializers.wrapRequestSerializer((req) => redactRequest(req)) },
      redact: ['req.headers.cookie', 'req.headers.authorization', `req.headers["${Header.Csrf}"]`, 'res.headers["set-cookie"]'],
    },
  };
}
