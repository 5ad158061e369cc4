// Shared by every package: TypeScript through SWC (fast, no type-check; `npm run typecheck` does that),
// and workspace imports mapped to source so tests never depend on a stale build.
const path = require('node:path');

const root = __dirname;
const src = (pkg, file = 'index.ts') => path.join(root, 'packages', pkg, 'src', file);

module.exports = {
  // onnxruntime-node (the ONNX factories' tests, transformers.js) needs typed arrays shared with the sandbox;
  // create-memory-default-environment.test.ts checks that the default path runs without that help.
  testEnvironment: path.join(root, 'jest-environment-onnx.cjs'),
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  moduleNameMapper: {
    '^@neuromem/core/testing$': src('core', 'testing/index.ts'),
    '^@neuromem/core$': src('core'),
    '^@neuromem/embeddings$': src('embeddings'),
    '^@neuromem/store$': src('store'),
    '^@neuromem/compression$': src('compression'),
    '^@neuromem/retrieval$': src('retrieval'),
    '^@neuromem/controller$': src('controller'),
    '^@neuromem/store-postgres$': src('store-postgres'),
    '^neuromem$': src('neuromem'),
  },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  testTimeout: 30_000,
};
