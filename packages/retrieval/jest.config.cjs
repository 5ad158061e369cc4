module.exports = { ...require('../../jest.preset.cjs'), displayName: 'retrieval', rootDir: __dirname };
