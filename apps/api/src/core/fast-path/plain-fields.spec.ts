import { execute, GraphQLID, GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type GraphQLFieldConfig } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { unwrapNestFields, unwrapPlainFields } from './plain-fields';
import { fastPathUses } from './uses';

/** The reader code-first Nest gives a field (its name and shape: one argument, the parent). */
function nestReader(property: string, defaultValue?: unknown): GraphQLFieldConfig<Record<string, unknown>, unknown>['resolve'] {
  return function rootFieldResolver(root: Record<string, unknown>) {
    const value = root[property];
    return typeof value === 'undefined' ? defaultValue : value;
  };
}

function schema() {
  let computed = 0;
  const person = new GraphQLObjectType<Record<string, unknown>>({
    name: 'Person',
    fields: {
      id: { type: GraphQLID, resolve: nestReader('id') },
      email: { type: GraphQLString, resolve: nestReader('email') },
      // Nest reads the class property, which may be named otherwise than the field.
      nick: { type: GraphQLString, resolve: nestReader('nickname') },
      theme: { type: GraphQLString, resolve: nestReader('theme', 'SYSTEM') },
      // Ours (a @ResolveField): never probed, never removed.
      visits: { type: GraphQLInt, resolve: () => ++computed },
      greeting: {
        type: GraphQLString,
        args: { name: { type: GraphQLString } },
        resolve: function rootFieldResolver(_root: unknown, args: { name?: string }) {
          return `hi ${args.name}`;
        },
      },
    },
  });
  const root = { id: '1', email: 'ada@example.com', nickname: 'ada', theme: undefined };
  const s = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { person: { type: person, resolve: () => root } } }),
  });
  return { s, person, counted: () => computed };
}

describe('unwrapPlainFields', () => {
  it('removes only the bare reads of the property named like the field', () => {
    const { s, person, counted } = schema();
    expect(unwrapPlainFields(s)).toBe(2);
    const fields = person.getFields();
    expect(fields['id'].resolve).toBeUndefined();
    expect(fields['email'].resolve).toBeUndefined();
    expect(fields['nick'].resolve).toBeDefined();
    expect(fields['theme'].resolve).toBeDefined();
    expect(fields['visits'].resolve).toBeDefined();
    expect(fields['greeting'].resolve).toBeDefined();
    expect(counted()).toBe(0);
  });

  it('answers the same before and after, interpreted and compiled', async () => {
    const query = parse('{ person { id email nick theme greeting(name: "you") } }');
    const before = schema().s;
    const expected = await execute({ schema: before, document: query });
    expect(expected).toEqual({
      data: { person: { id: '1', email: 'ada@example.com', nick: 'ada', theme: 'SYSTEM', greeting: 'hi you' } },
    });
    const after = schema().s;
    unwrapPlainFields(after);
    expect(await execute({ schema: after, document: query })).toEqual(expected);
    const compiled = compileQuery(after, query);
    if (!isCompiledQuery(compiled)) throw new Error('not compiled');
    expect(JSON.parse(JSON.stringify(await compiled.query(undefined, {}, {})))).toEqual(expected);
  });
});

describe('unwrapNestFields', () => {
  it("counts what it unwrapped, and says so when it finds none of Nest's readers (an upgrade renamed them)", () => {
    const warnings: string[] = [];
    expect(unwrapNestFields(schema().s, (m) => warnings.push(m))).toBe(2);
    expect(fastPathUses.plainFields).toBe(2);
    expect(warnings).toEqual([]);
    const renamed = new GraphQLObjectType<Record<string, unknown>>({
      name: 'Person',
      fields: { id: { type: GraphQLID, resolve: (root) => root['id'] } },
    });
    const s = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { person: { type: renamed } } }) });
    expect(unwrapNestFields(s, (m) => warnings.push(m))).toBe(0);
    expect(fastPathUses.plainFields).toBe(0);
    expect(warnings).toEqual([expect.stringContaining('every field keeps its resolver')]);
  });
});
