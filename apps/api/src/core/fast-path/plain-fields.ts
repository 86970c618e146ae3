import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { fastPathUses } from './uses';

/** The name of the reader code-first Nest gives a field (@nestjs/graphql's ObjectTypeDefinitionFactory, private). */
const NEST_FIELD_READER = 'rootFieldResolver';

/**
 * Code-first Nest gives every field of every object type a resolver, even a field that only reads
 * the property of the same name (`root => root.email`). To an executor that is an unknown function:
 * called once per field per row, with a resolve-info object built for it, where a plain property
 * read would do. On a 50-row page that is ~500 calls and most of the request's garbage.
 *
 * This removes those resolvers, so the field is read directly (the default resolution), and only
 * those: a resolver is removed when it is Nest's plain property reader, it reads exactly the
 * property named like the field, and it has no default value. Fields with arguments, middleware or
 * their own @ResolveField keep their resolver. Returns how many were removed.
 */
export function unwrapPlainFields(schema: GraphQLSchema): number {
  let removed = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0 && field.resolve && readsOnly(field.resolve, field.name)) {
        field.resolve = undefined;
        removed++;
      }
    }
  }
  return removed;
}

/**
 * unwrapPlainFields on the schema Nest built, counted in `roster_fast_path_uses{trick="plain_fields"}`.
 * None removed means Nest's reader was not recognised (an upgrade renamed or reshaped it): every field
 * runs its resolver again, answers unchanged but slower. That is said at start, as a warning, and
 * apps/api/test/fast-path.spec.ts fails on it.
 */
export function unwrapNestFields(schema: GraphQLSchema, warn: (message: string) => void): number {
  const removed = unwrapPlainFields(schema);
  fastPathUses.plainFields = removed;
  if (removed === 0) {
    warn(
      `No field resolver of Nest's was recognised as a plain property read (${NEST_FIELD_READER}): every field keeps its resolver (core/fast-path/plain-fields.ts).`,
    );
  }
  return removed;
}

/** Whether this resolver is a bare read of `root[name]` (probed with a root that records its reads). */
function readsOnly(resolve: GraphQLFieldResolver<unknown, unknown>, name: string): boolean {
  // Only Nest's generated reader is probed: a resolver of ours might do work or have effects.
  if (resolve.name !== NEST_FIELD_READER || resolve.length !== 1) return false;
  const reads: (string | symbol)[] = [];
  const marker = {};
  const root = new Proxy({}, { get: (_target, key) => (reads.push(key), marker) });
  try {
    const read = resolve as (root: unknown) => unknown;
    if (read(root) !== marker || reads.length !== 1 || reads[0] !== name) return false;
    // No default value standing in for a missing property (the default resolution has none).
    return read({}) === undefined;
  } catch {
    return false;
  }
}
