import nx from '@nx/eslint-plugin';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier/flat';

/** Lint errors are errors, and `npm test` allows no warning either: module boundaries by tag, TypeScript rules, Angular code and template rules. */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/generated/**',
      'tmp',
      'test-results',
      '**/*.mjs',
      '**/jest.config.*',
      '**/webpack.config.js',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Test helpers shared by the API's integration tests, the benchmark and the e2e set-up.
          allow: ['../../../tools/testing/*', '../../../../tools/testing/*'],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared', 'scope:console'] },
          ],
        },
      ],
    },
  },
  ...angular.configs.tsRecommended.map((c) => ({ ...c, files: ['apps/console/src/**/*.ts'] })),
  {
    files: ['apps/console/src/**/*.ts'],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'ro', style: 'kebab-case' }],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'ro', style: 'camelCase' }],
    },
  },
  ...[...angular.configs.templateRecommended, ...angular.configs.templateAccessibility].map((c) => ({
    ...c,
    files: ['apps/console/src/**/*.html'],
  })),
  // Formatting is Prettier's (checked by `npm run format:check`): no ESLint rule argues with it.
  prettier,
];
