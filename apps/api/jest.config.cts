module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  moduleNameMapper: {
    '^@roster/contracts/(.*)$': '<rootDir>/../../libs/shared/contracts/src/$1',
  },
  testTimeout: 60_000,
  globalSetup: '<rootDir>/../../tools/testing/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/testing/jest-global-teardown.ts',
};
