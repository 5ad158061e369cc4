import { join } from 'node:path';
import { loadLocomo } from '../locomo/load-locomo';
import { contentWords } from '@neuromem/controller';
import { simulateUser, type SimulatedTurn } from './simulated-users';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');
const turns: SimulatedTurn[] = loadLocomo(FIXTURE)[0]!.sessions.flatMap((session) => session.turns.map((turn) => ({ id: turn.diaId, text: turn.text, eventTime: turn.time })));
const options = { seed: 7, training: 30, test: 6 };

describe('simulateUser', () => {
  it('should draw the same user from the same seed, and never test on a memory it trains on', () => {
    const user = simulateUser(turns, 'none', options);
    expect(simulateUser(turns, 'none', options)).toEqual(user);
    expect(user.training).toHaveLength(30);
    expect(user.test.length).toBeGreaterThan(0);
    const trained = new Set(user.training.map((i) => i.target));
    expect(user.test.some((i) => trained.has(i.target))).toBe(false);
    for (const { query, target } of [...user.training, ...user.test]) {
      const text = turns.find((t) => t.id === target)!.text.toLowerCase();
      expect(query.split(' ').every((word) => text.includes(word))).toBe(true);
    }
  });

  it('should ask a recent user about the newest third and an old one about the oldest third', () => {
    const timeOf = (id: string) => turns.find((t) => t.id === id)!.eventTime;
    const recent = simulateUser(turns, 'recent', options);
    const old = simulateUser(turns, 'old', options);
    const newestOfOld = Math.max(...[...old.training, ...old.test].map((i) => timeOf(i.target)));
    const oldestOfRecent = Math.min(...[...recent.training, ...recent.test].map((i) => timeOf(i.target)));
    expect(newestOfOld).toBeLessThan(oldestOfRecent);
  });

  it('should ask a topic user about memories that share a distinctive word, not about everything', () => {
    const user = simulateUser(turns, 'topic', options);
    const targets = [...new Set([...user.training, ...user.test].map((i) => i.target))];
    const stemsOf = (id: string) => new Set(contentWords(turns.find((t) => t.id === id)!.text).map((w) => w.stem));
    const saidIn = (stem: string) => turns.filter((t) => stemsOf(t.id).has(stem)).length;
    expect(targets.length).toBeLessThan(turns.length / 2);
    // Each one says a word that few turns say and another of them says too.
    for (const target of targets) {
      const shared = [...stemsOf(target)].filter((stem) => saidIn(stem) <= Math.max(4, turns.length * 0.05) && targets.filter((other) => other !== target && stemsOf(other).has(stem)).length >= 1);
      expect(shared.length).toBeGreaterThan(0);
    }
  });

  it("should give a vocabulary user made-up words for frequent subjects, in place of the memory's own", () => {
    const user = simulateUser(turns, 'vocabulary', options);
    const aliases = Object.values(user.aliases);
    expect(aliases.length).toBeGreaterThan(0);
    const said = turns.map((t) => t.text.toLowerCase()).join(' ');
    for (const alias of aliases) expect(said.includes(alias)).toBe(false);
    expect(user.training.every(({ query }) => query.split(' ').some((word) => aliases.includes(word)))).toBe(true);
  });
});
