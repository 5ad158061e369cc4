import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { loadLocomo, parseLocomo, parseSessionDate } from './load-locomo';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');

describe('loadLocomo', () => {
  it('should read the project fixture with sessions, dated turns, captions and questions', () => {
    const [first] = loadLocomo(FIXTURE);
    expect(first!.sampleId).toBe('fixture-1');
    expect(first!.sessions.length).toBe(4);
    const turn = first!.sessions[0]!.turns[0]!;
    expect(turn).toMatchObject({ diaId: 'D1:1', session: 1, speaker: expect.any(String) });
    expect(turn.time).toBe(first!.sessions[0]!.time);
    const withPhoto = first!.sessions.flatMap((s) => s.turns).find((t) => t.text.includes('[shares '));
    expect(withPhoto).toBeDefined();
    expect(first!.questions.some((q) => q.category === 5 && q.answer === null)).toBe(true);
  });

  it('should parse LoCoMo session dates as UTC', () => {
    expect(parseSessionDate('1:56 pm on 8 May, 2023')).toBe(Date.UTC(2023, 4, 8, 13, 56));
    expect(parseSessionDate('12:05 am on 1 January, 2024')).toBe(Date.UTC(2024, 0, 1, 0, 5));
    expect(() => parseSessionDate('yesterday')).toThrow(/unrecognized session date/);
  });

  it('should ignore unknown keys and empty summaries', () => {
    const sample = {
      sample_id: 's',
      extra: 1,
      observation: {},
      session_summary: {},
      event_summary: {},
      conversation: { speaker_a: 'A', speaker_b: 'B', session_1_date_time: '1:00 pm on 2 March, 2024', session_1: [{ speaker: 'A', dia_id: 'D1:1', text: 'hi', unknown: true }] },
      qa: [{ question: 'q?', answer: 3, evidence: ['D1:1'], category: 4 }],
    };
    const [parsed] = parseLocomo([sample]);
    expect(parsed!.questions[0]).toEqual({ question: 'q?', answer: '3', evidence: ['D1:1'], category: 4 });
  });

  it('should read each observation with the session it was drawn from and whom it is about, skipping malformed ones', () => {
    const sample = {
      sample_id: 's',
      observation: {
        session_2_observation: { Ann: [['Ann adopted a beagle.', 'D2:1'], ['Ann likes hikes.', ['D2:3', 'D2:4']], ['no evidence'], 42], Bo: 'not a list' },
        summary: { Ann: [['A key of another shape.', 'D1:1']] },
      },
      conversation: { speaker_a: 'Ann', speaker_b: 'Bo', session_2_date_time: '1:00 pm on 2 March, 2024', session_2: [{ speaker: 'Ann', dia_id: 'D2:1', text: 'hi' }] },
      qa: [],
    };
    const [parsed] = parseLocomo([sample]);
    expect(parsed!.observations).toEqual([
      { text: 'Ann adopted a beagle.', diaIds: ['D2:1'], speaker: 'Ann', session: 2 },
      { text: 'Ann likes hikes.', diaIds: ['D2:3', 'D2:4'], speaker: 'Ann', session: 2 },
    ]);
  });

  it('should name the problem in a missing, malformed or empty file', () => {
    const dir = createTempDir();
    try {
      expect(() => loadLocomo(join(dir.path, 'missing.json'))).toThrow(/cannot read --data .*ENOENT/);
      writeFileSync(join(dir.path, 'bad.json'), '{ nope');
      expect(() => loadLocomo(join(dir.path, 'bad.json'))).toThrow(/not valid JSON/);
      writeFileSync(join(dir.path, 'empty.json'), '[]');
      expect(() => loadLocomo(join(dir.path, 'empty.json'))).toThrow(/non-empty JSON array/);
      const noTurns = [{ sample_id: 'x', conversation: { speaker_a: 'A', speaker_b: 'B', session_1_date_time: '1:00 pm on 2 March, 2024', session_1: [] }, qa: [] }];
      writeFileSync(join(dir.path, 'no-turns.json'), JSON.stringify(noTurns));
      expect(() => loadLocomo(join(dir.path, 'no-turns.json'))).toThrow(/no sessions with turns/);
      expect(() => parseLocomo([{ sample_id: 'y', conversation: {}, qa: [{ question: 'q', category: 9 }] }])).toThrow();
    } finally {
      dir.remove();
    }
  });
});
