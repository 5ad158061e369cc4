#!/usr/bin/env node
// `npm start`: the main job on the embedded default. Ingests the project's own multi-session
// conversation fixture into a fresh offline memory (no model download, no LLM call), then asks the
// fixture's questions and prints what comes back, with each result's score breakdown.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMemory, explainScore } from 'neuromem';

const fixture = process.argv[2] ?? fileURLToPath(new URL('../datasets/fixtures/conversations.json', import.meta.url));
const QUESTIONS_PER_CONVERSATION = 5;
const TOP_K = 3;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** LoCoMo-style session dates: "1:56 pm on 8 May, 2023" (taken as UTC). */
function parseSessionDate(value) {
  const match = /^(\d{1,2}):(\d{2})\s*(am|pm) on (\d{1,2}) (\w+),? (\d{4})$/i.exec(value.trim());
  if (!match) throw new Error(`unrecognized session date: ${value}`);
  const [, h, m, ampm, day, month, year] = match;
  const hour = (Number(h) % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  return Date.UTC(Number(year), MONTHS.indexOf(month.toLowerCase()), Number(day), hour, Number(m));
}

function sessionsOf(conversation) {
  return Object.keys(conversation)
    .map((key) => /^session_(\d+)$/.exec(key))
    .filter(Boolean)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b)
    .map((n) => ({ n, date: parseSessionDate(conversation[`session_${n}_date_time`]), turns: conversation[`session_${n}`] }));
}

const started = performance.now();
const samples = JSON.parse(readFileSync(fixture, 'utf8'));
const memory = await createMemory();
let turnsAdded = 0;
let addMs = 0;
let hits = 0;
let asked = 0;

console.log(`NeuroMem demo — offline default (${memory.embedder.id})\nfixture: ${fixture}\n`);
for (const sample of samples) {
  const sessions = sessionsOf(sample.conversation);
  const t0 = performance.now();
  for (const session of sessions) {
    const messages = session.turns.map((turn, i) => ({
      role: 'user',
      name: turn.speaker,
      content: turn.blip_caption ? `${turn.text} [shares ${turn.blip_caption}]` : turn.text,
      timestamp: session.date + i * 30_000,
      // Which dialogue turn this is, so the demo can check results against the fixture's evidence.
      metadata: { dia_id: turn.dia_id },
    }));
    const { results } = await memory.add(messages, { userId: sample.sample_id, runId: `session_${session.n}` });
    turnsAdded += results.length;
  }
  addMs += performance.now() - t0;
  const { speaker_a: a, speaker_b: b } = sample.conversation;
  console.log(`━━ ${sample.sample_id}: ${a} & ${b} — ${sessions.length} sessions, ${sessions.reduce((n, s) => n + s.turns.length, 0)} turns stored`);

  const referenceDate = sessions.at(-1).date + 86_400_000;
  const questions = sample.qa.filter((qa) => qa.category !== 5).slice(0, QUESTIONS_PER_CONVERSATION);
  for (const qa of questions) {
    const { results } = await memory.search(qa.question, { userId: sample.sample_id, topK: TOP_K, referenceDate });
    const found = results.some((r) => qa.evidence.includes(r.metadata.dia_id));
    hits += found ? 1 : 0;
    asked += 1;
    console.log(`\n  Q: ${qa.question}   (expected: ${qa.answer}; evidence ${qa.evidence.join(', ')})`);
    for (const [rank, r] of results.entries()) {
      const mark = qa.evidence.includes(r.metadata.dia_id) ? '✓' : ' ';
      console.log(`   ${mark} ${rank + 1}. ${r.score.toFixed(3)}  ${r.eventTime.slice(0, 10)} ${r.role}: ${r.memory}`);
      console.log(`        ${r.metadata.dia_id} · ${explainScore(r.scoreBreakdown)}`);
    }
  }
  console.log('');
}
await memory.close();
console.log(`stored ${turnsAdded} turns in ${addMs.toFixed(0)} ms (${(turnsAdded / (addMs / 1000)).toFixed(0)} turns/s)`);
console.log(`evidence in the top ${TOP_K} for ${hits}/${asked} questions; whole run ${((performance.now() - started) / 1000).toFixed(1)} s`);
