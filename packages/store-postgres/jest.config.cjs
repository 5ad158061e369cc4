module.exports = { ...require('../../jest.preset.cjs'), displayName: 'store-postgres', rootDir: __dirname };
