/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  setupFiles: ['<rootDir>/test/helpers/install-runtime.ts', '<rootDir>/test/helpers/workflow-coverage-setup.ts', '<rootDir>/test/helpers/executor-catalog-env.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
  forceExit: true,
  collectCoverageFrom: ['src/**/*.ts', 'activities/**/*.ts', 'workers/**/*.ts', '!**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
};
