module.exports = { ...require('../../jest.preset.cjs'), displayName: 'langchain', rootDir: __dirname };
