module.exports = { ...require('../../jest.preset.cjs'), displayName: 'compression', rootDir: __dirname };
