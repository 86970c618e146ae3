import fastJson from 'fast-json-stringify';
import {
  getNullableType,
  getOperationAST,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * JSON for one operation's answers, written by code generated from its selection (fast-json-stringify):
 * the data of an answer has exactly the shape the query selected, with every leaf already serialised
 * by its GraphQL type, so its JSON can be written without JSON.stringify discovering each object's
 * keys and types again on every row. The same text as JSON.stringify, fields in the query's order.
 *
 * Only for shapes it can describe exactly: object types, lists, and leaves whose serialised value is a
 * known JSON type. Interfaces and unions (fields depend on the runtime type), custom scalars it does
 * not know and introspection are left to JSON.stringify (null here).
 */
type JsonSchema = Record<string, unknown>;

/** Every value may be null (a nullable field, or one nulled by an error's propagation): never coerced. */
const LEAVES: Record<string, JsonSchema> = {
  String: { type: 'string', nullable: true },
  ID: { type: 'string', nullable: true },
  // DateTime (core/date-time.ts): an ISO string, or null.
  DateTime: { type: 'string', nullable: true },
  Int: { type: 'integer', nullable: true },
  Float: { type: 'number', nullable: true },
  Boolean: { type: 'boolean', nullable: true },
};

export type DataSerializer = (data: unknown) => string;

export function dataSerializer(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): DataSerializer | null {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation === 'subscription') return null;
  const root = operation.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  if (!root) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const data = objectSchema(root, [operation.selectionSet], fragments);
  return data ? (fastJson(data) as DataSerializer) : null;
}

function objectSchema(
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): JsonSchema | null {
  // Fields by response name, in the order graphql-js collects them (and so builds the objects).
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode): boolean => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.alias?.value ?? s.name.value;
        // An alias `__proto__` would set the schema's prototype, not a property: left to JSON.stringify.
        if (name === '__proto__') return false;
        fields.set(name, [...(fields.get(name) ?? []), s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (s.typeCondition && s.typeCondition.name.value !== type.name) return false;
        if (!collect(s.selectionSet)) return false;
      } else {
        if (visited.has(s.name.value)) continue;
        visited.add(s.name.value);
        const fragment = fragments[s.name.value];
        if (!fragment || fragment.typeCondition.name.value !== type.name || !collect(fragment.selectionSet)) return false;
      }
    }
    return true;
  };
  for (const set of sets) if (!collect(set)) return null;
  const properties: Record<string, JsonSchema> = {};
  const defs = type.getFields();
  for (const [name, nodes] of fields) {
    const fieldName = nodes[0].name.value;
    if (fieldName === '__typename') {
      properties[name] = LEAVES['String'];
      continue;
    }
    const def = defs[fieldName];
    if (!def) return null; // introspection (__schema, __type)
    const sub = typeSchema(
      def.type,
      nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
      fragments,
    );
    if (!sub) return null;
    properties[name] = sub;
  }
  return { type: 'object', nullable: true, properties };
}

function typeSchema(
  type: GraphQLOutputType,
  sets: readonly SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): JsonSchema | null {
  const t = getNullableType(type);
  if (isListType(t)) {
    const items = typeSchema(t.ofType, sets, fragments);
    return items ? { type: 'array', nullable: true, items } : null;
  }
  if (isObjectType(t)) return objectSchema(t, sets, fragments);
  if (isEnumType(t)) return { type: 'string', nullable: true };
  if (isScalarType(t)) return LEAVES[t.name] ?? null;
  return null;
}
