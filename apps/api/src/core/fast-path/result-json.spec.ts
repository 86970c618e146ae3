import fc from 'fast-check';
import { buildSchema, execute, parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { dataSerializer } from './result-json';

const SDL = `
  scalar DateTime
  scalar JSON
  enum Status { ACTIVE INVITED }
  interface Named { name: String! }
  type Team implements Named { id: ID! name: String! }
  type Person {
    id: ID!
    email: String!
    nickname: String
    age: Int
    score: Float
    admin: Boolean!
    status: Status!
    seenAt: DateTime
    teams: [Team!]!
    tags: [[String]]
    manager: Person
    named: Named
    extra: JSON
  }
  type Query { people(n: Int): [Person!]! total: Int! person: Person }
  type Mutation { rename(name: String!): Person }
`;

interface Person {
  id: string;
  email: string;
  nickname: string | null;
  age: number | null;
  score: number | null;
  admin: boolean;
  status: string;
  seenAt: Date | null;
  teams: { id: string; name: string }[];
  tags: (string | null)[][] | null;
  manager: Person | null;
}

function schemaWith(people: Person[]): GraphQLSchema {
  const schema = buildSchema(SDL);
  const dateTime = schema.getType('DateTime') as unknown as { serialize: (v: unknown) => unknown };
  dateTime.serialize = (v) => (v instanceof Date ? v.toISOString() : null);
  const query = (schema.getQueryType() as GraphQLObjectType).getFields();
  query['people'].resolve = () => people;
  query['total'].resolve = () => people.length;
  query['person'].resolve = () => people[0] ?? null;
  (schema.getMutationType() as GraphQLObjectType).getFields()['rename'].resolve = (_r, a: { name: string }) => ({
    ...people[0],
    nickname: a.name,
  });
  return schema;
}

/** Writes `query`'s answer both ways: JSON.stringify of the compiled answer, and its serializer. */
async function both(schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const document = parse(query);
  const compiled = compileQuery(schema, document, operationName);
  if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
  const result = await compiled.query(undefined, {}, variables);
  const write = dataSerializer(schema, document, operationName);
  // The interpreted answer is the reference: the compiled one must be the same, and so its JSON.
  const reference = JSON.stringify(await execute({ schema, document, variableValues: variables, operationName }));
  expect(JSON.stringify(result)).toBe(reference);
  return { expected: reference, written: write ? `{"data":${write(result.data)}}` : null };
}

const PERSON = fc.letrec<{ person: Person }>((tie) => ({
  person: fc.record({
    id: fc.uuid(),
    email: fc.string({ unit: 'grapheme', maxLength: 20 }),
    nickname: fc.option(fc.string({ unit: 'binary', maxLength: 12 })),
    age: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
    score: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    admin: fc.boolean(),
    status: fc.constantFrom('ACTIVE', 'INVITED'),
    seenAt: fc.option(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })),
    teams: fc.array(fc.record({ id: fc.uuid(), name: fc.string({ maxLength: 8 }) }), { maxLength: 3 }),
    tags: fc.option(fc.array(fc.array(fc.option(fc.string({ maxLength: 4 })), { maxLength: 2 }), { maxLength: 2 })),
    manager: fc.option(tie('person') as fc.Arbitrary<Person>, { depthSize: 'small' }),
  }),
})).person;

const QUERY = `query Page($skipTeams: Boolean = false) {
  total
  rows: people {
    __typename id email nickname age score admin status seenAt
    ...Teams
    tags
    ... on Person { boss: manager { id email manager { email } } }
    email
  }
  first: person { id teams { name } teams { id } }
}
fragment Teams on Person { teams @skip(if: $skipTeams) { name id } ...Teams2 }
fragment Teams2 on Person { teams { name } }`;

describe('result-json: answers written from their selection', () => {
  it('writes the same text as JSON.stringify, for generated data (aliases, fragments, lists, nulls, escapes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(PERSON, { maxLength: 5 }), fc.boolean(), async (people, skipTeams) => {
        const { expected, written } = await both(schemaWith(people), QUERY, { skipTeams });
        expect(written).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('writes mutations and root __typename', async () => {
    const schema = schemaWith([
      {
        id: '1',
        email: 'a"\\\u2028@x',
        nickname: null,
        age: 1,
        score: 0.5,
        admin: true,
        status: 'ACTIVE',
        seenAt: null,
        teams: [],
        tags: null,
        manager: null,
      },
    ]);
    const m = await both(schema, `mutation R { rename(name: "é\\n") { id nickname } __typename }`, {}, 'R');
    expect(m.written).toBe(m.expected);
    const t = await both(schema, `{ __typename }`);
    expect(t.written).toBe(t.expected);
  });

  it('leaves to JSON.stringify what it cannot describe exactly', () => {
    const schema = schemaWith([]);
    for (const query of [
      `{ person { named { name } } }`, // an interface: fields depend on the runtime type
      `{ person { extra } }`, // a custom scalar it does not know
      `{ __schema { queryType { name } } }`, // introspection
      `{ person { ... on Named { name } } }`, // a fragment on another type
      `query A { total } query B { total }`, // no operation chosen
      `{ __typename __proto__: __typename }`, // an alias that would set the schema's prototype
    ]) {
      expect({ query, written: dataSerializer(schema, parse(query)) }).toEqual({ query, written: null });
    }
  });
});
