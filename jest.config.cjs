// `npm test` runs every project in one jest process so CI gets one summary line.
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs', '<rootDir>/apps/*/jest.config.cjs'],
};
