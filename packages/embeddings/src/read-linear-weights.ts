import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import type { LinearWeights } from './apply-linear';
import { readOrNotFound, SCALE_HEADS_COMMAND, type HeadsManifest } from './heads-manifest';
import type { HeadScale } from './scale-heads';

const fail = createErrorFactory('embeddings');

/** The `weights.format` of heads.json that `createLinearScaleHeads` reads. */
const LINEAR_HEADS_FORMAT = 'neuromem.linear-heads/v1';

/** Turns ONNX heads (as older training runs wrote them) into the plain files, byte for byte. */
const CONVERT_COMMAND = '/usr/bin/python3 tools/train/scale-heads/train_scale_heads.py --from-onnx <heads directory>';

export type LinearHeadName = HeadScale | 'salience';

const HEADS: readonly LinearHeadName[] = ['token', 'turn', 'session', 'salience'];

/**
 * Reads the four plain weight files a heads.json lists under `weights` and checks each against it:
 * shape [inputDimensions, dims[head]] (salience: 1 output), exact byte length, sha256, finite
 * values. Returns the weights and an id hashed from the files.
 */
export async function readLinearWeights(directory: string, manifest: HeadsManifest): Promise<{ id: string; heads: Record<LinearHeadName, LinearWeights> }> {
  const entries = weightEntries(manifest);
  const files = await Promise.all(HEADS.map((head) => readOrNotFound(directory, entries[head].file)));
  const id = createHash('sha256');
  const heads = {} as Record<LinearHeadName, LinearWeights>;
  HEADS.forEach((head, i) => {
    const entry = entries[head];
    const bytes = files[i]!;
    const path = join(directory, entry.file);
    const [inputs, outputs] = entry.shape;
    const count = inputs * outputs + (entry.bias ? outputs : 0);
    if (bytes.byteLength !== count * 4) {
      throw corrupt(path, `has ${bytes.byteLength} bytes but heads.json's shape [${inputs}, ${outputs}]${entry.bias ? ' + bias' : ''} needs ${count * 4} (truncated or from another run)`);
    }
    if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) throw corrupt(path, 'does not match the sha256 heads.json records for it');
    const values = decodeFloat32(bytes, path);
    heads[head] = { matrix: values.subarray(0, inputs * outputs), bias: entry.bias ? values.subarray(inputs * outputs) : undefined, inputs, outputs };
    id.update(bytes);
  });
  return { id: id.digest('hex').slice(0, 12), heads };
}

interface WeightEntry {
  file: string;
  shape: [number, number];
  sha256: string;
  bias: boolean;
}

/** The `weights` section of heads.json, checked against the manifest's dimensions. */
function weightEntries(manifest: HeadsManifest): Record<LinearHeadName, WeightEntry> {
  const { path, inputDimensions, dims } = manifest;
  const weights = manifest.raw.weights as Record<string, unknown> | undefined;
  if (typeof weights !== 'object' || weights === null || weights.format !== LINEAR_HEADS_FORMAT) {
    throw fail(
      'INVALID_INPUT',
      `${path} lists no plain weight files (weights.format "${LINEAR_HEADS_FORMAT}"); regenerate the heads with \`${SCALE_HEADS_COMMAND}\`, or convert ONNX heads with \`${CONVERT_COMMAND}\`.`,
      { details: { path } },
    );
  }
  const expected: Record<LinearHeadName, number> = { ...dims, salience: 1 };
  const entries = {} as Record<LinearHeadName, WeightEntry>;
  for (const head of HEADS) {
    const e = (typeof weights[head] === 'object' && weights[head] !== null ? weights[head] : {}) as Record<string, unknown>;
    const shape = e.shape as unknown[];
    // A bare file name: heads.json must not point outside its own directory.
    const wellFormed =
      typeof e.file === 'string' &&
      /^[\w.-]+$/.test(e.file) &&
      !e.file.startsWith('.') &&
      Array.isArray(shape) &&
      shape.length === 2 &&
      shape.every((n) => Number.isInteger(n)) &&
      typeof e.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(e.sha256) &&
      (e.bias === undefined || typeof e.bias === 'boolean');
    if (!wellFormed) {
      throw fail(
        'INVALID_INPUT',
        `${path}: weights.${head} must be { file, shape: [inputs, outputs], sha256, bias? } with a file name in the same directory; regenerate the heads with \`${SCALE_HEADS_COMMAND}\`.`,
        { details: { path, head } },
      );
    }
    const [inputs, outputs] = shape as [number, number];
    if (inputs !== inputDimensions || outputs !== expected[head]) {
      throw fail(
        'DIMENSION_MISMATCH',
        `${path}: weights.${head} has shape [${inputs}, ${outputs}] but the heads take ${inputDimensions} dimensions and give ${expected[head]}; regenerate the heads with \`${SCALE_HEADS_COMMAND}\`.`,
        {
          details: { path, head, expected: [inputDimensions, expected[head]], actual: [inputs, outputs] },
        },
      );
    }
    entries[head] = { file: e.file as string, shape: [inputs, outputs], sha256: e.sha256 as string, bias: e.bias === true };
  }
  return entries;
}

/** Little-endian float32 whatever the machine's byte order; every value must be finite. */
function decodeFloat32(bytes: Buffer, path: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < values.length; i++) {
    const value = view.getFloat32(i * 4, true);
    if (!Number.isFinite(value)) throw corrupt(path, `holds ${value} at value ${i}`);
    values[i] = value;
  }
  return values;
}

function corrupt(path: string, problem: string) {
  return fail('INVALID_INPUT', `${path} ${problem}; regenerate the heads with \`${SCALE_HEADS_COMMAND}\` (see tools/train/scale-heads/README.md).`, { details: { path } });
}
