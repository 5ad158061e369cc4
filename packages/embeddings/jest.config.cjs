module.exports = { ...require('../../jest.preset.cjs'), displayName: 'embeddings', rootDir: __dirname };
