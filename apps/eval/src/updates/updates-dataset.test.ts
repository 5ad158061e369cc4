import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocomoConversation, type LocomoTurn, loadLocomo } from '../locomo/load-locomo';

/** The nearest folder above `from` with a package.json: apps/eval. */
function packageRoot(from: string): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) return from;
  }
}

/** The knowledge-update benchmark: facts that change over a conversation (LoCoMo format, written for this project). */
const UPDATES_DATA = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'data', 'updates-v1.json');

const UPDATES = ['current', 'previous', 'when', 'static'] as const;
type Update = (typeof UPDATES)[number];

/** A qa item as written in the file, with the two keys the LoCoMo loader ignores. */
interface RawQuestion {
  question: string;
  answer: string;
  evidence: string[];
  category: number;
  update: Update;
  fact?: string;
}
interface RawSample {
  sample_id: string;
  qa: RawQuestion[];
}

/** Words that tell a reader the question is about the present state of things. */
const TIME_WORDS = /\b(now|currently|these days|still|nowadays|at the moment|lately|anymore|today)\b/i;

const MONTH = 30.44 * 24 * 60 * 60 * 1000;

interface Asked {
  conversation: LocomoConversation;
  raw: RawQuestion;
  /** Evidence turns, in the order they were said. */
  evidence: LocomoTurn[];
  /** Position in the conversation of each evidence turn, for ordering. */
  positions: number[];
}

describe('the knowledge-update dataset (data/updates-v1.json)', () => {
  const conversations = loadLocomo(UPDATES_DATA);
  const raw = JSON.parse(readFileSync(UPDATES_DATA, 'utf8')) as RawSample[];
  const asked: Asked[] = conversations.flatMap((conversation, c) => {
    const turns = conversation.sessions.flatMap((session) => session.turns);
    const position = new Map(turns.map((turn, i) => [turn.diaId, i]));
    return (raw[c]?.qa ?? []).map((question) => ({
      conversation,
      raw: question,
      evidence: turns.filter((turn) => question.evidence.includes(turn.diaId)),
      positions: question.evidence.map((id) => position.get(id) ?? -1),
    }));
  });
  /** The non-static questions of one conversation, grouped by the fact they ask about. */
  const facts = conversations.flatMap((conversation) => {
    const byFact = new Map<string, Asked[]>();
    for (const question of asked.filter((q) => q.conversation === conversation && q.raw.update !== 'static')) {
      const label = question.raw.fact ?? '';
      byFact.set(label, [...(byFact.get(label) ?? []), question]);
    }
    return [...byFact].map(([label, questions]) => ({
      conversation: conversation.sampleId,
      label,
      current: questions.filter((q) => q.raw.update === 'current'),
      previous: questions.filter((q) => q.raw.update === 'previous'),
      when: questions.filter((q) => q.raw.update === 'when'),
    }));
  });

  it('should load with the LoCoMo loader as ten conversations of six dated sessions a year or two long', () => {
    expect(conversations.map((conversation) => conversation.sampleId)).toEqual(Array.from({ length: 10 }, (_, i) => `updates-${String(i + 1).padStart(2, '0')}`));
    expect(raw.map((sample) => sample.sample_id)).toEqual(conversations.map((conversation) => conversation.sampleId));
    for (const conversation of conversations) {
      expect(conversation.sessions).toHaveLength(6);
      const times = conversation.sessions.map((session) => session.time);
      for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
      const months = (times[times.length - 1]! - times[0]!) / MONTH;
      expect(months).toBeGreaterThanOrEqual(12);
      expect(months).toBeLessThanOrEqual(24.5);
    }
  });

  it('should alternate the two friends turn by turn, 12 to 18 turns a session, with dia ids numbering each session', () => {
    for (const conversation of conversations) {
      for (const session of conversation.sessions) {
        expect(session.turns.length).toBeGreaterThanOrEqual(12);
        expect(session.turns.length).toBeLessThanOrEqual(18);
        session.turns.forEach((turn, i) => {
          expect(turn.diaId).toBe(`D${session.n}:${i + 1}`);
          expect(conversation.speakers).toContain(turn.speaker);
          if (i > 0) expect(turn.speaker).not.toBe(session.turns[i - 1]!.speaker);
        });
      }
    }
  });

  it('should tag every question as current, previous, when or static, with a fact label on all but the static ones', () => {
    expect(asked).toHaveLength(conversations.reduce((n, conversation) => n + conversation.questions.length, 0));
    for (const { raw: question } of asked) {
      expect(UPDATES).toContain(question.update);
      expect(question.answer).toEqual(expect.any(String));
      expect(question.category).toBe(question.update === 'when' ? 2 : 4);
      if (question.update === 'static') expect(question.fact).toBeUndefined();
      else expect(question.fact).toMatch(/\S/);
    }
  });

  it('should ask two current questions, one previous and one when for every fact, and a few static ones per conversation', () => {
    for (const fact of facts) {
      expect([fact.conversation, fact.label, fact.current.length, fact.previous.length, fact.when.length]).toEqual([fact.conversation, fact.label, 2, 1, 1]);
    }
    for (const conversation of conversations) {
      const mine = facts.filter((fact) => fact.conversation === conversation.sampleId);
      expect(mine.length).toBeGreaterThanOrEqual(5);
      expect(mine.length).toBeLessThanOrEqual(7);
      const statics = asked.filter((q) => q.conversation === conversation && q.raw.update === 'static');
      expect(statics.length).toBeGreaterThanOrEqual(3);
      expect(statics.length).toBeLessThanOrEqual(5);
    }
  });

  it('should cite evidence turns that exist, each once, in the order they were said', () => {
    const unresolved = asked.flatMap(({ conversation, raw: question, positions }) => question.evidence.filter((_, i) => positions[i] === -1).map((id) => `${conversation.sampleId} ${id}`));
    expect(unresolved).toEqual([]);
    for (const { raw: question, evidence, positions } of asked) {
      expect(evidence.length).toBeGreaterThan(0);
      expect(evidence).toHaveLength(question.evidence.length);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it("should cite the same turns for a fact's two current questions", () => {
    for (const fact of facts) expect([fact.conversation, fact.label, fact.current[0]?.raw.evidence]).toEqual([fact.conversation, fact.label, fact.current[1]?.raw.evidence]);
  });

  it('should cite the previous value before the newest statement of the current one, and date the change no earlier than the previous value', () => {
    const misordered = facts.flatMap((fact) => {
      const newestCurrent = Math.max(...fact.current.flatMap((q) => q.positions));
      const previous = fact.previous.flatMap((q) => q.positions);
      const when = fact.when.flatMap((q) => q.positions);
      const problems: string[] = [];
      if (previous.some((p) => p >= newestCurrent)) problems.push('previous evidence is not before the newest current evidence');
      if (when.some((w) => w < Math.max(...previous))) problems.push('when evidence is earlier than previous evidence');
      return problems.map((problem) => `${fact.conversation} ${fact.label}: ${problem}`);
    });
    expect(misordered).toEqual([]);
  });

  it('should state the previous and the current value in different sessions', () => {
    const sameSession = facts.filter((fact) => {
      const firstPrevious = Math.min(...fact.previous.flatMap((q) => q.evidence.map((turn) => turn.session)));
      const lastCurrent = Math.max(...fact.current.flatMap((q) => q.evidence.map((turn) => turn.session)));
      return firstPrevious >= lastCurrent;
    });
    expect(sameSession.map((fact) => `${fact.conversation} ${fact.label}`)).toEqual([]);
  });

  it('should ask about at least 35 kinds of fact, none of them in more than three conversations', () => {
    const conversationsByLabel = new Map<string, Set<string>>();
    for (const fact of facts) conversationsByLabel.set(fact.label, (conversationsByLabel.get(fact.label) ?? new Set()).add(fact.conversation));
    expect(conversationsByLabel.size).toBeGreaterThanOrEqual(35);
    const overused = [...conversationsByLabel].filter(([, used]) => used.size > 3).map(([label]) => label);
    expect(overused).toEqual([]);
  });

  it('should word one current question of each fact with a time word and the other without, so at least 40% have none', () => {
    const current = asked.filter((q) => q.raw.update === 'current');
    const plain = current.filter((q) => !TIME_WORDS.test(q.raw.question));
    expect(plain.length / current.length).toBeGreaterThanOrEqual(0.4);
    for (const fact of facts) {
      expect([fact.conversation, fact.label, fact.current.filter((q) => TIME_WORDS.test(q.raw.question)).length]).toEqual([fact.conversation, fact.label, 1]);
    }
  });

  it('should ask about the friends by name, in the third person', () => {
    const unnamed = asked.filter(({ conversation, raw: question }) => !conversation.speakers.some((name) => question.question.includes(name)));
    expect(unnamed.map(({ raw: question }) => question.question)).toEqual([]);
    const secondPerson = asked.filter(({ raw: question }) => /\b(you|your)\b/i.test(question.question));
    expect(secondPerson.map(({ raw: question }) => question.question)).toEqual([]);
  });
});
