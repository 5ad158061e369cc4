// `npm test` runs every project in one jest process so CI gets one summary line.
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs', '<rootDir>/apps/*/jest.config.cjs'],
  // One worker per core, not jest's default of one less: most suites wait on child processes and
  // disk, so two workers on two cores halve the run (measured: 333 s with two workers).
  maxWorkers: '100%',
  // A global option: jest ignores it in the projects' configs (so the preset's went unused and tests
  // that spawn processes timed out at jest's 5 s on a busy machine).
  testTimeout: 30_000,
};
