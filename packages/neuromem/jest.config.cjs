module.exports = { ...require('../../jest.preset.cjs'), displayName: 'neuromem', rootDir: __dirname };
