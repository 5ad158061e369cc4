// jest runs each test file in its own vm context, whose Float32Array, BigInt64Array... are different
// constructors from the ones of the main realm where onnxruntime-node's native binding lives.
// onnxruntime checks `data instanceof Float32Array` against the main realm's constructor, so a
// tensor built inside a test fails with "A float32 tensor's data must be type of function
// Float32Array()". Sharing the main realm's typed-array constructors (and ArrayBuffer/DataView,
// which their `.buffer` must match) with the sandbox makes both sides agree.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxTestEnvironment;
