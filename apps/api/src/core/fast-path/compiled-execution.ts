import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import type { HttpContext } from '../http/http-context';
import { execute, GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { dataSerializer, type DataSerializer } from './result-json';
import { fastPathUses } from './uses';

/**
 * Compiled execution (graphql-jit) for the operations clients send again and again: graphql-js
 * resolves every field of every row through generic code (argument values, type checks, promises),
 * which on a 50-row page costs more than the SQL. A compiled operation is plain JavaScript built
 * for that one query. Compiled the second time an operation is seen (one-off queries, including an
 * attacker's stream of distinct ones, run on graphql-js and cost no compilation), at most
 * COMPILED_MAX kept, and no more than COMPILED_MAX_SOURCE_CHARS of query text among them. Parsing and validation (limits included) stay Apollo's, before this.
 *
 * Apollo lets an executor in only through its gateway interface: this "gateway" serves the
 * schema Nest built and executes with it.
 */
const COMPILED_MAX = 200;
/** Compiled code grows with the query: the kept ones are also bounded by their total query text. */
const COMPILED_MAX_SOURCE_CHARS = 500_000;
const SEEN_MAX = 2_000;
/** Longer query texts are never compiled (the console's longest is a few kB). */
const COMPILE_MAX_SOURCE_CHARS = 20_000;

export interface CompiledExecution {
  /** For ApolloServer's `gateway` option. */
  gateway: GatewayInterface;
  /** Hands over the schema Nest built (GqlModuleOptions.transformSchema). */
  useSchema(schema: GraphQLSchema): GraphQLSchema;
  /** For ApolloServer's `plugins`: lets each request's data go once it is answered (see releaseWhenAnswered). */
  plugin: ApolloServerPlugin<HttpContext>;
  /** For ApolloServer's `stringifyResult`: compiled answers without errors or extensions by their own code. */
  stringify(result: FormattedExecutionResult): string;
}

interface Compiled {
  query: CompiledQuery;
  /** Null when the selection has a shape result-json.ts leaves to JSON.stringify. */
  json: DataSerializer | null;
}

export function compiledExecution(): CompiledExecution {
  let schema: GraphQLSchema | null = null;
  /** Operations seen once (true), or that graphql-jit cannot compile (false). */
  const seen = new LRUCache<string, boolean>({ max: SEEN_MAX });
  const compiled = new LRUCache<string, Compiled>({ max: COMPILED_MAX, maxSize: COMPILED_MAX_SOURCE_CHARS, sizeCalculation: () => 1 });
  const listeners = new Set<(ctx: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void>();
  /** The data of each compiled answer, until it is written: the code that writes it. */
  const writers = new WeakMap<object, DataSerializer>();

  const executor: GatewayExecutor = async (ctx: GatewayGraphQLRequestContext) => {
    const s = schema as GraphQLSchema;
    // No operation resolved (an unknown operationName, several without one): graphql-js says why.
    if (!ctx.operation) return interpreted(s, ctx);
    const key = `${ctx.request.operationName ?? ''}\u0000${ctx.queryHash}`;
    let entry = compiled.get(key);
    if (!entry) {
      if (seen.get(key) !== true) {
        if (!seen.has(key)) seen.set(key, true);
        return interpreted(s, ctx);
      }
      const made =
        (ctx.source?.length ?? 0) <= COMPILE_MAX_SOURCE_CHARS
          ? compileQuery(s, ctx.document, ctx.request.operationName ?? undefined)
          : null;
      // Not compilable (graphql-jit refuses a few shapes): graphql-js runs it, as it would have.
      if (!made || !isCompiledQuery(made)) {
        seen.set(key, false);
        return interpreted(s, ctx);
      }
      let json: DataSerializer | null = null;
      try {
        json = dataSerializer(s, ctx.document, ctx.request.operationName);
      } catch {
        // A selection fast-json-stringify refuses: its answers are written by JSON.stringify.
      }
      entry = { query: made, json };
      compiled.set(key, entry, { size: Math.max(1, ctx.source?.length ?? 1) });
    }
    // Variables are checked by graphql-js first, so a bad one is refused with its usual message
    // (what clients and the BAD_USER_INPUT mapping know), compiled or not.
    const variables = ctx.request.variables ?? {};
    const coerced = getVariableValues(s, ctx.operation?.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    fastPathUses.compiled++;
    const result = (await entry.query.query(undefined, ctx.context, variables)) as ExecutionResult;
    if (entry.json && !result.errors?.length && result.data) writers.set(result.data, entry.json);
    return withGraphQLErrors(result);
  };

  return {
    plugin: releaseWhenAnswered,
    stringify(result) {
      const write = result.data && result.errors === undefined && result.extensions === undefined ? writers.get(result.data) : undefined;
      if (!write) return JSON.stringify(result);
      fastPathUses.resultJson++;
      return `{"data":${write(result.data)}}`;
    },
    useSchema(built) {
      schema = built;
      return built;
    },
    gateway: {
      async load() {
        if (!schema) throw new Error('compiled execution: the schema was not handed over');
        for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
        return { schema, executor };
      },
      onSchemaLoadOrUpdate(callback) {
        listeners.add(callback);
        return () => listeners.delete(callback);
      },
      async stop() {
        compiled.clear();
        seen.clear();
      },
    },
  };
}

/**
 * With a gateway, Apollo hands the executor a request context it builds with a getter and a setter
 * (`response.http.status`) that close over the whole request: V8 keeps such accessors in a hidden class
 * of its own, in the old generation, so everything the request holds (its result, rows, request and
 * response objects) survives young collections and is promoted, to be freed only by a full collection:
 * megabytes every few milliseconds under load. Once the answer is sent, this empties the request context
 * those accessors hold, so that what they keep alive is a few small objects.
 */
const releaseWhenAnswered: ApolloServerPlugin<HttpContext> = {
  async requestDidStart(requestContext) {
    // Operations run without an HTTP response (none today) have nothing to wait for.
    const res = requestContext.contextValue.res as HttpContext['res'] | undefined;
    res?.once('finish', () => release(requestContext));
  },
};

function release(requestContext: GraphQLRequestContext<HttpContext>): void {
  // The accessors hold a copy of the request context (Apollo spreads it), so the objects it shares with
  // this one are emptied: the answer, the request and the context (Node's request and response).
  const response = requestContext.response as unknown as Record<string, unknown>;
  response['body'] = undefined;
  const request = requestContext.request as unknown as Record<string, unknown>;
  for (const key of ['query', 'variables', 'extensions', 'http']) request[key] = undefined;
  const context = requestContext.contextValue as unknown as Record<string, unknown>;
  context['req'] = undefined;
  context['res'] = undefined;
}

/**
 * graphql-jit's errors as graphql-js's own (which Apollo and formatError expect: `extensions` always
 * an object, the resolver's error as `originalError`), with the same message, path and locations.
 */
function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    // graphql-jit reports some faults of ours (a null for a non-null field, a value its type cannot
    // serialise) without a cause, where graphql-js gives one: give it, so they are logged and answered as
    // internal errors rather than taken for the caller's input. Arguments and variables are the caller's.
    const cause = e.originalError ?? (/^(Argument|Variable) "/.test(e.message) ? undefined : new Error(e.message));
    const error = new GraphQLError(e.message, { path: e.path, originalError: cause, extensions: e.extensions });
    if (e.locations) Object.defineProperty(error, 'locations', { value: e.locations, enumerable: true });
    return error;
  });
  return { ...result, errors };
}

function interpreted(schema: GraphQLSchema, ctx: GatewayGraphQLRequestContext): Promise<ExecutionResult> {
  return Promise.resolve(
    execute({
      schema,
      document: ctx.document,
      contextValue: ctx.context,
      variableValues: ctx.request.variables,
      // What the client asked for (ctx.operationName is the one Apollo resolved, null when none).
      operationName: ctx.request.operationName,
    }),
  );
}
