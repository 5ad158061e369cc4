import { readFileSync } from 'node:fs';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('eval');

export type Category = 1 | 2 | 3 | 4 | 5;
export const CATEGORY_NAMES: Record<Category, string> = { 1: 'multi-hop', 2: 'temporal', 3: 'open-domain', 4: 'single-hop', 5: 'adversarial' };

export interface LocomoTurn {
  diaId: string;
  speaker: string;
  /** The turn's text, with a shared photo's caption appended as "[shares ...]". */
  text: string;
  session: number;
  /** The session's date (epoch ms, read as UTC). */
  time: number;
}

export interface LocomoSession {
  n: number;
  time: number;
  turns: LocomoTurn[];
}

export interface LocomoQuestion {
  question: string;
  /** null for adversarial questions, whose answer is not in the conversation. */
  answer: string | null;
  /** Evidence dia_ids as written in the file (some do not resolve to a turn). */
  evidence: string[];
  category: Category;
}

/** A human-checked fact distilled from the turns it cites (LoCoMo's `observation`). */
export interface LocomoObservation {
  text: string;
  diaIds: string[];
  /** The person it is about (the key it is listed under). */
  speaker: string;
  /** The session it was drawn from (`session_N_observation`). */
  session: number;
}

export interface LocomoConversation {
  sampleId: string;
  speakers: [string, string];
  sessions: LocomoSession[];
  questions: LocomoQuestion[];
  /** Supervision for compression only: never shown to a memory under test. Empty when the file has none. */
  observations: LocomoObservation[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "1:56 pm on 8 May, 2023" -> epoch ms (UTC). */
export function parseSessionDate(value: string): number {
  const match = /^(\d{1,2}):(\d{2})\s*(am|pm) on (\d{1,2}) ([A-Za-z]+),? (\d{4})$/i.exec(value.trim());
  const month = match ? MONTHS.indexOf(match[5]!.toLowerCase()) : -1;
  if (!match || month < 0) throw fail('INVALID_INPUT', `unrecognized session date ${JSON.stringify(value)}; expected e.g. "1:56 pm on 8 May, 2023".`);
  const hour = (Number(match[1]) % 12) + (match[3]!.toLowerCase() === 'pm' ? 12 : 0);
  return Date.UTC(Number(match[6]), month, Number(match[4]), hour, Number(match[2]));
}

/** Reads a file in LoCoMo's `data/locomo10.json` format. Unknown keys are ignored. */
export function loadLocomo(path: string, flag = '--data'): LocomoConversation[] {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw fail(
      'NOT_FOUND',
      `cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.${flag === '--data' ? ' Download data/locomo10.json from github.com/snap-research/locomo.' : ''}`,
      {
        cause: error,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw fail('INVALID_INPUT', `${path} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  return parseLocomo(parsed, path);
}

export function parseLocomo(data: unknown, source = 'data'): LocomoConversation[] {
  if (!Array.isArray(data) || data.length === 0) throw fail('INVALID_INPUT', `${source} must be a non-empty JSON array of LoCoMo samples.`);
  return data.map((sample, i) => parseSample(sample, `${source}[${i}]`));
}

function parseSample(sample: unknown, at: string): LocomoConversation {
  const s = object(sample, at);
  const sampleId = string(s.sample_id, `${at}.sample_id`);
  const conversation = object(s.conversation, `${sampleId}.conversation`);
  const sessionNumbers = Object.keys(conversation)
    .map((key) => /^session_(\d+)$/.exec(key))
    .flatMap((match) => (match ? [Number(match[1])] : []))
    .sort((a, b) => a - b);
  const sessions = sessionNumbers
    .map((n) => {
      const time = parseSessionDate(string(conversation[`session_${n}_date_time`], `${sampleId}.conversation.session_${n}_date_time`));
      const turns = array(conversation[`session_${n}`], `${sampleId}.session_${n}`).map((turn, t) => {
        const tt = object(turn, `${sampleId}.session_${n}[${t}]`);
        const text = string(tt.text, `${sampleId}.session_${n}[${t}].text`);
        const caption = typeof tt.blip_caption === 'string' && tt.blip_caption.trim() !== '' ? ` [shares ${tt.blip_caption.trim()}]` : '';
        return { diaId: string(tt.dia_id, `${sampleId}.session_${n}[${t}].dia_id`), speaker: string(tt.speaker, `${sampleId}.session_${n}[${t}].speaker`), text: text + caption, session: n, time };
      });
      return { n, time, turns };
    })
    .filter((session) => session.turns.length > 0);
  if (sessions.length === 0) throw fail('INVALID_INPUT', `${sampleId} has no sessions with turns; nothing to remember.`);
  const questions = array(s.qa ?? [], `${sampleId}.qa`).map((qa, q) => {
    const item = object(qa, `${sampleId}.qa[${q}]`);
    const category = Number(item.category);
    if (![1, 2, 3, 4, 5].includes(category)) throw fail('INVALID_INPUT', `${sampleId}.qa[${q}].category must be 1..5, got ${String(item.category)}.`);
    const answer = item.answer === undefined || item.answer === null ? null : String(item.answer);
    return {
      question: string(item.question, `${sampleId}.qa[${q}].question`),
      answer,
      evidence: array(item.evidence ?? [], `${sampleId}.qa[${q}].evidence`).map((e) => String(e)),
      category: category as Category,
    };
  });
  return {
    sampleId,
    speakers: [string(conversation.speaker_a, `${sampleId}.speaker_a`), string(conversation.speaker_b, `${sampleId}.speaker_b`)],
    sessions,
    questions,
    observations: parseObservations(s.observation),
  };
}

/** `{ session_N_observation: { speaker: [[fact, dia_id | dia_id[]], ...] } }`; malformed entries (and keys of another shape) are skipped. */
function parseObservations(value: unknown): LocomoObservation[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: LocomoObservation[] = [];
  for (const [key, bySpeaker] of Object.entries(value as Record<string, unknown>)) {
    const session = Number(/^session_(\d+)_observation$/.exec(key)?.[1]);
    if (!Number.isInteger(session) || typeof bySpeaker !== 'object' || bySpeaker === null) continue;
    for (const [speaker, facts] of Object.entries(bySpeaker as Record<string, unknown>)) {
      if (!Array.isArray(facts)) continue;
      for (const fact of facts) {
        if (!Array.isArray(fact) || typeof fact[0] !== 'string') continue;
        const ids = (Array.isArray(fact[1]) ? fact[1] : [fact[1]]).filter((id): id is string => typeof id === 'string');
        if (ids.length > 0) found.push({ text: fact[0], diaIds: ids, speaker, session });
      }
    }
  }
  return found;
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('INVALID_INPUT', `${at} must be an object.`);
  return value as Record<string, unknown>;
}
function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw fail('INVALID_INPUT', `${at} must be an array.`);
  return value;
}
function string(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw fail('INVALID_INPUT', `${at} must be a non-empty string.`);
  return value;
}
