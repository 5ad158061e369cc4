import { createErrorFactory } from '@neuromem/core';
import { createRandom } from '@neuromem/core/testing';
import { CLAUSES, QUESTIONS, type Vocabulary } from './scale-vocabulary';

/** The user whose memories are ingested first and never grow. */
export const PROBE_USER = 'probe';
export const MIN_TURN_WORDS = 15;
export const MAX_TURN_WORDS = 30;

const fail = createErrorFactory('eval');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2024, 0, 1);

export interface ScaleTurn {
  content: string;
  /** Epoch ms; strictly increasing over everything one workload yields. */
  timestamp: number;
}

export interface ScaleSession {
  userId: string;
  /** Also the session id: every turn of a session is added under this `runId`. */
  runId: string;
  turns: ScaleTurn[];
}

export interface ScaleQuery {
  userId: string;
  text: string;
}

export interface ScaleWorkloadOptions {
  seed: number;
  /** Regular users (the probe user not counted). */
  users: number;
  /** Turns per regular session. */
  sessionTurns: number;
}

export interface ScaleWorkload {
  /** The probe user's sessions, `memories` turns in all. */
  probeSessions(memories: number): Generator<ScaleSession>;
  /** The next regular session: `sessionTurns` turns, or `maxTurns` if fewer. Users take sessions in turn. */
  nextSession(maxTurns?: number): ScaleSession;
  /** One more turn at the end of the latest session of a seeded random user that has one. */
  continuation(): ScaleSession;
  /** A chat turn of 15-30 words, one minute after the previous one. */
  turn(): ScaleTurn;
  /**
   * `count` questions, each for a seeded random user among those with a session. The same count and
   * number of users give the same queries, so checkpoints of one run ask the same questions.
   */
  queries(count: number, stream?: 'timed' | 'warmup'): ScaleQuery[];
  /** Regular users with at least one session. */
  readonly activeUsers: number;
  readonly sessions: number;
}

/**
 * A seeded, streaming chat workload: sessions are generated on demand, so a run of any size holds one
 * session's text at a time. Text, continuation users and queries use separate random streams, so
 * asking more queries never changes what is ingested.
 */
export function createScaleWorkload({ seed, users, sessionTurns }: ScaleWorkloadOptions): ScaleWorkload {
  const textRandom = createRandom(streamSeed(seed, 0));
  const userRandom = createRandom(streamSeed(seed, 1));
  const vocabulary = vocabularyOf(textRandom);
  const latestRun = new Map<number, string>();
  let sessions = 0;
  let clock = START;

  const turn = (): ScaleTurn => {
    clock += MINUTE;
    return { content: chatTurn(vocabulary), timestamp: clock };
  };
  const startSession = () => {
    clock = Math.ceil((clock + 1) / HOUR) * HOUR - MINUTE;
  };

  return {
    *probeSessions(memories) {
      for (let done = 0, index = 0; done < memories; index++) {
        startSession();
        const size = Math.min(sessionTurns, memories - done);
        yield { userId: PROBE_USER, runId: `${PROBE_USER}-s${index}`, turns: Array.from({ length: size }, turn) };
        done += size;
      }
    },
    nextSession(maxTurns = sessionTurns) {
      const user = sessions % users;
      const runId = `s${sessions}`;
      sessions += 1;
      latestRun.set(user, runId);
      startSession();
      return { userId: userName(user), runId, turns: Array.from({ length: Math.min(sessionTurns, maxTurns) }, turn) };
    },
    continuation() {
      const active = Math.min(users, sessions);
      if (active === 0) throw fail('INVALID_INPUT', 'continuation() needs a session first: call nextSession().');
      const user = Math.floor(userRandom() * active);
      return { userId: userName(user), runId: latestRun.get(user)!, turns: [turn()] };
    },
    turn,
    queries(count, stream = 'timed') {
      const random = createRandom(streamSeed(seed, stream === 'timed' ? 2 : 3));
      const questions = vocabularyOf(random);
      const active = Math.max(1, Math.min(users, sessions));
      return Array.from({ length: count }, () => ({ userId: userName(Math.floor(random() * active)), text: questions.pick(QUESTIONS)(questions) }));
    },
    get activeUsers() {
      return Math.min(users, sessions);
    },
    get sessions() {
      return sessions;
    },
  };
}

export const userName = (index: number): string => `user-${index}`;

export const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** Clauses until the turn has at least 15 words; a turn that overshoots 30 is drawn again. */
function chatTurn(vocabulary: Vocabulary): string {
  for (;;) {
    const clauses: string[] = [];
    let words = 0;
    while (words < MIN_TURN_WORDS) {
      const clause = vocabulary.pick(CLAUSES)(vocabulary);
      clauses.push(clause);
      words += wordCount(clause);
    }
    if (words <= MAX_TURN_WORDS) return clauses.join(' ');
  }
}

function vocabularyOf(random: () => number): Vocabulary {
  return {
    pick: (items) => items[Math.floor(random() * items.length)]!,
    number: (min, max) => min + Math.floor(random() * (max - min + 1)),
  };
}

/** Mixes seed and stream so streams are not shifted copies of one mulberry32 sequence. */
function streamSeed(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}
