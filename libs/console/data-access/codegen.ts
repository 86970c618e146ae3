import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed operations for the console, generated from the API's committed schema. */
const config: CodegenConfig = {
  schema: 'apps/api/schema.gql',
  documents: 'libs/console/data-access/src/operations/**/*.graphql',
  generates: {
    'libs/console/data-access/src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typescript-apollo-angular'],
      config: {
        addExplicitOverride: true,
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', ID: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: true },
        nonOptionalTypename: false,
        skipTypename: true,
      },
    },
    // Their names, for the API's metrics: the operations it counts by name.
    'apps/api/src/core/graphql/console-operations.ts': {
      plugins: ['libs/console/data-access/operation-names.cjs'],
    },
  },
  hooks: {},
};

export default config;
