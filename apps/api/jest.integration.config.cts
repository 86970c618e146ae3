/**
 * The API's integration suites (test/*.spec.ts): each starts the built server (dist/apps/api/main.js) on its own
 * database. The global set-up starts an embedded PostgreSQL when DATABASE_URL is unset.
 */
module.exports = {
  displayName: 'api-integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  moduleNameMapper: {
    '^@roster/contracts/(.*)$': '<rootDir>/../../libs/shared/contracts/src/$1',
  },
  testTimeout: 60_000,
  globalSetup: '<rootDir>/../../tools/testing/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/testing/jest-global-teardown.ts',
};
