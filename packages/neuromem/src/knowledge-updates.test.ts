import { createMemory } from './create-memory';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6);

/** Sam's home, told twice a year apart with no word of change, among other things; no sleep has run. */
async function samsMoves() {
  const memory = await createMemory();
  const add = async (text: string, day: number) => (await memory.add(text, { userId: 'sam', timestamp: T0 + day * DAY })).results[0]!.id;
  const ids = {
    bristol: await add('I live in a flat in Bristol with two housemates.', 0),
    ramen: await add('Had the best ramen for lunch today.', 3),
    leeds: await add('I live in a small house in Leeds with my partner.', 365),
    shoe: await add('My dog Biscuit chewed my left shoe.', 370),
  };
  return { memory, ids };
}

describe('a fact that changed, in search (no sleep)', () => {
  it('should answer a present-tense question with the newest version, and keep the older one in the results', async () => {
    const { memory, ids } = await samsMoves();
    const top = async (query: string) => (await memory.search(query, { userId: 'sam', topK: 3 })).results.map((item) => item.id);
    // When the ranker alone puts Bristol first, the newer Leeds takes its place and says so.
    for (const query of ['Where does Sam live?', 'Where do I live?']) {
      const [first] = (await memory.search(query, { userId: 'sam', topK: 3 })).results;
      const [byRanker] = [...(await memory.search(query, { userId: 'sam', topK: 3 })).results].sort((a, b) => b.scoreBreakdown!.logit - a.scoreBreakdown!.logit);
      expect(first!.scoreBreakdown!.restates).toBe(byRanker!.id === ids.bristol ? ids.bristol : undefined);
    }
    for (const query of ['Where does Sam live?', 'Where do I live?', 'Where do I live now?']) {
      const results = await top(query);
      expect({ query, first: results[0] }).toEqual({ query, first: ids.leeds });
      expect(results).toContain(ids.bristol);
    }
    expect((await top('Where did I use to live?'))[0]).toBe(ids.bristol);
    await memory.close();
  });

  it('should leave a past-tense question and a when-question in the ranker order', async () => {
    const { memory } = await samsMoves();
    const ranked = async (query: string) => (await memory.search(query, { userId: 'sam', topK: 3 })).results;
    for (const query of ['Where did I live with two housemates?', 'When did I move in with my partner?']) {
      const results = await ranked(query);
      const logits = results.map((item) => item.scoreBreakdown!.logit);
      expect({ query, logits }).toEqual({ query, logits: [...logits].sort((a, b) => b - a) });
    }
    await memory.close();
  });
});

describe('"before <event>"', () => {
  it('should bound the time by when the event was first told, not by its latest mention', async () => {
    const memory = await createMemory();
    const add = async (text: string, day: number) => (await memory.add(text, { userId: 'sam', timestamp: T0 + day * DAY })).results[0]!.id;
    const fiesta = await add('I still drive my old Fiesta, the clutch is screaming again.', 0);
    await add('Big news: I sold the Fiesta for scrap and bought a silver Honda Jazz from a neighbour.', 100);
    // Short, so it is the best word match for "the Honda"; it was said long after the purchase.
    const later = await add('The Honda is great.', 200);
    const { results } = await memory.search('What car did I have before the Honda?', { userId: 'sam', topK: 4 });
    const fit = (id: string) => results.find((item) => item.id === id)!.scoreBreakdown!.factors.temporalFit;
    expect(fit(fiesta)).toBe(1);
    expect(fit(later)).toBeLessThan(0.5);
    await memory.close();
  });
});
