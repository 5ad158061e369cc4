// The writer the first-person sets share: conversations as the generators write them, out as a
// LoCoMo-format file (a dia_id per turn, labels resolved to evidence ids, each label used once).
import { writeFileSync } from 'node:fs';

export const ASSISTANT = 'Assistant';

/**
 * Writes `conversations` to `file`: each `{ id, user, sessions: [[date, [[speaker, text, label?], ...]], ...],
 * qa: [[question, answer, labels, category], ...] }` becomes a LoCoMo sample (speaker_a the user,
 * speaker_b the assistant). Throws on a label used twice or cited but never given.
 */
export function writeFirstPersonSet(conversations, file) {
  const data = conversations.map(({ id, user, sessions, qa }) => {
    const conversation = { speaker_a: user, speaker_b: ASSISTANT };
    const where = new Map();
    sessions.forEach(([date, turns], s) => {
      conversation[`session_${s + 1}_date_time`] = date;
      conversation[`session_${s + 1}`] = turns.map(([speaker, text, label], t) => {
        const dia_id = `D${s + 1}:${t + 1}`;
        if (label) {
          if (where.has(label)) throw new Error(`${id}: label ${label} used twice`);
          where.set(label, dia_id);
        }
        return { speaker, dia_id, text };
      });
    });
    return {
      sample_id: id,
      conversation,
      qa: qa.map(([question, answer, labels, category]) => ({
        question,
        answer,
        evidence: labels.map((label) => {
          if (!where.has(label)) throw new Error(`${id}: no turn labelled ${label}`);
          return where.get(label);
        }),
        category,
      })),
    };
  });
  writeFileSync(file, `${JSON.stringify(data, null, 1)}\n`);
  console.log(`wrote ${file}: ${data.length} conversations, ${data.reduce((n, c) => n + c.qa.length, 0)} questions`);
}
