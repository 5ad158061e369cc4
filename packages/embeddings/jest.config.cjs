module.exports = { ...require('../../jest.preset.cjs'), displayName: 'embeddings', rootDir: __dirname, testEnvironment: require.resolve('./jest-environment-onnx.cjs') };
