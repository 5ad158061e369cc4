module.exports = { ...require('../../jest.preset.cjs'), displayName: 'demo-chat', rootDir: __dirname };
