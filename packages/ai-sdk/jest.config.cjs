module.exports = { ...require('../../jest.preset.cjs'), displayName: 'ai-sdk', rootDir: __dirname };
