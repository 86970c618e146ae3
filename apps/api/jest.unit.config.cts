/**
 * The API's unit specs (the *.spec.ts files under src/): pure functions and static checks, no database, no built server.
 * `npm run test:unit` runs them in seconds; `npm test` runs them with every other project.
 */
module.exports = {
  displayName: 'api-unit',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  moduleNameMapper: {
    '^@roster/contracts/(.*)$': '<rootDir>/../../libs/shared/contracts/src/$1',
  },
};
