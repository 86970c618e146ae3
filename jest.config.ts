import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

export default async (): Promise<Config> => ({
  projects: await getJestProjectsAsync(),
  // Integration suites start real servers and databases: their tests take seconds, not milliseconds.
  testTimeout: 60_000,
});
