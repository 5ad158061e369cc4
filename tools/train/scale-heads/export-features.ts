/**
 * Exports the encoder-space features the scale heads are trained on (see README.md beside this file).
 * Input: a LoCoMo-format file. Output: `features.bin` (float32, row-major, `dimensions` per row) and
 * `manifest.json` in `--out`, which defaults to a directory outside the repository because both are
 * derived from LoCoMo and must never be committed.
 *
 *   node export-features.mjs --data path/to/locomo10.json [--out /tmp/neuromem-scale-heads/features]
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createHashingEncoder } from '../../../packages/embeddings/src/create-hashing-encoder';
import { loadLocomo, type LocomoConversation } from '../../../apps/eval/src/locomo/load-locomo';

/** How many earlier turns of the session feed a turn's context, and the weight of the context. */
const CONTEXT_TURNS = 3;
const CONTEXT_WEIGHT = 0.5;

type Range = [start: number, end: number];

interface Pair {
  type: 'turn-session' | 'observation-turn';
  from: number;
  to: number;
}

const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string', default: '/tmp/neuromem-scale-heads/features' } } });
if (values.data === undefined) {
  console.error('usage: node export-features.mjs --data path/to/locomo10.json [--out dir]');
  process.exit(2);
}
const out = resolve(values.out);
const encoder = createHashingEncoder();
const conversations = loadLocomo(values.data);
const raw = JSON.parse(readFileSync(values.data, 'utf8')) as Array<{ observation?: Record<string, Record<string, unknown[]>> }>;

const own: Float32Array[] = [];
const context: Float32Array[] = [];
const observations: Float32Array[] = [];
const sessions: Array<{ conversation: string; n: number; turns: Range }> = [];
const turnSession: number[] = [];
const pairs: Pair[] = [];
const manifestConversations: Array<{ id: string; turns: Range; sessions: Range; observations: Range; unresolvedCitations: number }> = [];

for (const [c, conversation] of conversations.entries()) {
  const firstTurn = own.length;
  const firstSession = sessions.length;
  const firstObservation = observations.length;
  const turnIndex = new Map<string, number>();
  for (const session of conversation.sessions) {
    const texts = session.turns.map((turn) => `${turn.speaker}: ${turn.text}`);
    const vectors = await encoder.encode(texts);
    const sessionIndex = sessions.length;
    sessions.push({ conversation: conversation.sampleId, n: session.n, turns: [own.length, own.length + vectors.length] });
    vectors.forEach((vector, t) => {
      turnIndex.set(session.turns[t]!.diaId, own.length);
      pairs.push({ type: 'turn-session', from: own.length, to: sessionIndex });
      turnSession.push(sessionIndex);
      own.push(vector);
      context.push(withContext(vector, vectors.slice(Math.max(0, t - CONTEXT_TURNS), t)));
    });
  }
  let unresolvedCitations = 0;
  for (const [fact, cited] of readObservations(raw[c]?.observation, conversation)) {
    const turns = cited.map((id) => turnIndex.get(id)).filter((t): t is number => t !== undefined);
    unresolvedCitations += cited.length - turns.length;
    if (turns.length === 0) continue;
    const [vector] = await encoder.encode([fact]);
    for (const turn of turns) pairs.push({ type: 'observation-turn', from: observations.length, to: turn });
    observations.push(vector!);
  }
  manifestConversations.push({
    id: conversation.sampleId,
    turns: [firstTurn, own.length],
    sessions: [firstSession, sessions.length],
    observations: [firstObservation, observations.length],
    unresolvedCitations,
  });
}

const rows = [...own, ...context, ...observations];
const dimensions = encoder.dimensions;
const matrix = new Float32Array(rows.length * dimensions);
rows.forEach((row, i) => matrix.set(row, i * dimensions));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'features.bin'), new Uint8Array(matrix.buffer));
const T = own.length;
const manifest = {
  version: 1,
  note: 'Derived from LoCoMo (CC BY-NC 4.0): keep outside the repository, never commit.',
  source: basename(values.data),
  encoderId: encoder.id,
  dimensions,
  dtype: 'float32',
  rows: rows.length,
  context: { turns: CONTEXT_TURNS, weight: CONTEXT_WEIGHT, decay: 0.5 },
  // Turn t's own vector is row blocks.own[0] + t, its context vector row blocks.context[0] + t;
  // observation o is row blocks.observation[0] + o. All other indexes below are turn/session/observation indexes.
  blocks: { own: [0, T], context: [T, 2 * T], observation: [2 * T, 2 * T + observations.length] },
  conversations: manifestConversations,
  sessions,
  turnSession,
  pairs,
};
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
const counts = manifestConversations.map((c) => `${c.id}: ${c.turns[1] - c.turns[0]} turns, ${c.sessions[1] - c.sessions[0]} sessions, ${c.observations[1] - c.observations[0]} observations`);
console.log(`wrote ${rows.length} x ${dimensions} features to ${out}\n  ${counts.join('\n  ')}`);

/** normalize(x + 0.5 c), c = normalize(sum over the previous turns of 0.5^(distance-1) x_prev). */
function withContext(vector: Float32Array, previous: Float32Array[]): Float32Array {
  const c = new Float64Array(vector.length);
  previous.forEach((prev, i) => {
    const weight = 0.5 ** (previous.length - 1 - i);
    for (let d = 0; d < c.length; d++) c[d] = (c[d] as number) + weight * (prev[d] as number);
  });
  const cNorm = Math.hypot(...c);
  const sum = new Float64Array(vector.length);
  for (let d = 0; d < sum.length; d++) sum[d] = (vector[d] as number) + (cNorm > 0 ? (CONTEXT_WEIGHT * (c[d] as number)) / cNorm : 0);
  const norm = Math.hypot(...sum);
  return Float32Array.from(sum, (v) => v / norm);
}

/** `observation.session_N_observation[speaker] = [[fact, dia_id | dia_id[]], ...]` -> [fact, dia_ids]. */
function readObservations(observation: Record<string, Record<string, unknown[]>> | undefined, conversation: LocomoConversation): Array<[string, string[]]> {
  const facts: Array<[string, string[]]> = [];
  for (const session of conversation.sessions) {
    for (const list of Object.values(observation?.[`session_${session.n}_observation`] ?? {})) {
      for (const item of Array.isArray(list) ? list : []) {
        if (!Array.isArray(item) || typeof item[0] !== 'string' || item[0].trim() === '') continue;
        const cited = (Array.isArray(item[1]) ? item[1] : [item[1]]).filter((id): id is string => typeof id === 'string').map((id) => id.trim());
        facts.push([item[0], cited]);
      }
    }
  }
  return facts;
}
