import { cosineSimilarity, type SessionState, type TextEncoder } from '@neuromem/core';
import { createHashingEncoder } from './create-hashing-encoder';
import { createMultiScaleEmbedder } from './create-multi-scale-embedder';
import { createLinearScaleHeads } from './create-linear-scale-heads';
import { DEFAULT_HEADS_DIRECTORY } from './default-heads';
import { createRandomProjectionHeads } from './create-random-projection-heads';

/** Counts how many texts reach the wrapped encoder. */
function counting(encoder: TextEncoder): TextEncoder & { calls: number } {
  const wrapper = {
    ...encoder,
    calls: 0,
    async encode(texts: readonly string[]) {
      wrapper.calls += texts.length;
      return encoder.encode(texts);
    },
  };
  return wrapper;
}

const trip = ['We are flying to Lisbon in May.', 'I booked the hotel near the river.', 'The flight leaves at 7 am from Bristol.', 'Pack sunscreen for the beach days.'];
const work = ['My quarterly review is on Friday.', 'The manager wants the sales report.', 'I need to finish the budget spreadsheet.', 'Then the team meeting at noon.'];

describe('createMultiScaleEmbedder', () => {
  it('should produce token, turn and session vectors of the configured sizes', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    expect(embedder.scales).toEqual({ token: 256, turn: 512, session: 1024 });
    const result = await embedder.embedSession(trip);
    expect(result.turns).toHaveLength(4);
    expect(result.turns[0]!.vectors.turn!.length).toBe(512);
    expect(result.turns[0]!.tokens!.length).toBe(3); // flying, Lisbon, May: function words get no token
    expect(result.turns[0]!.tokens![0]!.length).toBe(256);
    expect(result.session!.length).toBe(1024);
    const query = await embedder.embedQuery('when is the flight?');
    expect([query.vectors.turn!.length, query.vectors.session!.length, query.tokens![0]!.length]).toEqual([512, 1024, 256]);
  });

  it("should give a text's token vectors from its known words alone, as encoding it would", async () => {
    const tokenTexts: string[] = [];
    const hashing = createHashingEncoder();
    const spy: TextEncoder = { ...hashing, encodeTokens: async (texts) => (tokenTexts.push(...texts), hashing.encodeTokens!(texts)) };
    const embedder = createMultiScaleEmbedder({ encoder: spy });
    const first = await embedder.embedTokens!(['The flight leaves at 7 am.', '?!']);
    const again = await embedder.embedTokens!(['the FLIGHT leaves at 7 am', 'The flight leaves at 7 am.']);
    expect(tokenTexts).toEqual(['The flight leaves at 7 am.', '?!', 'the FLIGHT leaves at 7 am']); // the repeat, and '?!' (no words), were not encoded... until new spellings
    const fresh = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    expect((await fresh.embedTokens!(['The flight leaves at 7 am.']))[0]!.map((v) => Array.from(v))).toEqual(again[1]!.map((v) => Array.from(v)));
    expect(first[0]).toHaveLength(again[1]!.length);
    first[0]![0]!.fill(0); // callers own their copies, encoded or from the cache
    again[1]![1]!.fill(0);
    expect((await embedder.embedTokens!(['The flight leaves at 7 am.']))[0]!.map((v) => Array.from(v))).toEqual(
      (await fresh.embedTokens!(['The flight leaves at 7 am.']))[0]!.map((v) => Array.from(v)),
    );
    await expect(embedder.embedTokens!(['fine', 42 as never])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(embedder.embedTokens!('not a list' as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(Math.hypot(...(await embedder.embedTokens!(['The flight']))[0]![0]!)).toBeCloseTo(1, 5);
  });

  it('should leave token vectors out when the caller will take them from embedTokens, and only then', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    const full = await embedder.embedSession(trip);
    const lean = await embedder.embedSession(trip, { tokens: false });
    expect(lean.turns.every((turn) => turn.tokens === undefined)).toBe(true);
    expect(lean.turns.map((turn) => Array.from(turn.vectors.turn!))).toEqual(full.turns.map((turn) => Array.from(turn.vectors.turn!)));
    expect((await embedder.continueSession!(trip, undefined, { tokens: false })).turns[0]!.tokens).toBeUndefined();
    const { contextFreeTokens, ...contextual } = createHashingEncoder();
    expect(contextFreeTokens).toBe(true);
    const withContext = createMultiScaleEmbedder({ encoder: contextual });
    expect(withContext.embedTokens).toBeUndefined();
    expect((await withContext.embedSession(trip, { tokens: false })).turns[0]!.tokens).toHaveLength(3); // it cannot give them later
  });

  it('should encode every text of an encoder whose tokens are not words, and stop trusting one that claims otherwise', async () => {
    const hashing = createHashingEncoder();
    // Tokens are pairs of characters, not words, though it claims otherwise: still context-free.
    const pairs: TextEncoder = {
      ...hashing,
      async encodeTokens(texts) {
        return Promise.all(
          texts.map(async (text) => {
            const spans = Array.from({ length: Math.ceil(text.length / 2) }, (_, i) => [2 * i, Math.min(text.length, 2 * i + 2)] as [number, number]);
            return { spans, vectors: await hashing.encode(spans.map(([start, end]) => text.slice(start, end))) };
          }),
        );
      },
    };
    const { wordTokens, ...honest } = pairs;
    expect(wordTokens).toBe(true);
    const truth = async (text: string) => (await createMultiScaleEmbedder({ encoder: honest }).embedTokens!([text]))[0]!.map((v) => Array.from(v));
    // Honest (no claim): every text is encoded, so every answer is right.
    const plain = createMultiScaleEmbedder({ encoder: honest });
    await plain.embedTokens!(['ab', 'cd']);
    expect((await plain.embedTokens!(['ab cd']))[0]!.map((v) => Array.from(v))).toEqual(await truth('ab cd'));
    // Claiming word tokens: the first text whose tokens are partly words and partly not gives it away.
    const claimed = createMultiScaleEmbedder({ encoder: pairs });
    await claimed.embedTokens!(['ab cd', 'ab', 'cd']);
    const [abcd] = await claimed.embedTokens!(['ab cd']); // both "words" cached, yet encoded: three tokens
    expect(abcd!.map((v) => Array.from(v))).toEqual(await truth('ab cd'));
    expect(abcd).toHaveLength(3);
  });

  it('should never change an earlier turn when the session grows, and encode only the new turn', async () => {
    const encoder = counting(createHashingEncoder());
    const embedder = createMultiScaleEmbedder({ encoder });
    const first = await embedder.embedSession(trip.slice(0, 3));
    expect(encoder.calls).toBe(3);
    const grown = await embedder.embedSession(trip, { from: 2 });
    expect(encoder.calls).toBe(4);
    expect(grown.turns).toHaveLength(2);
    expect(Array.from(grown.turns[0]!.vectors.turn!)).toEqual(Array.from(first.turns[2]!.vectors.turn!));
    expect(cosineSimilarity(grown.session!, first.session!)).toBeLessThan(1);
  });

  it('should continue a session from its state with the vectors embedSession gives the whole session', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder(), heads: await createLinearScaleHeads({ directory: DEFAULT_HEADS_DIRECTORY }) });
    const session = [...trip, ...work, ...trip.map((turn) => `Again: ${turn}`)];
    const whole = await embedder.embedSession(session);
    let state: SessionState | undefined;
    let next = 0;
    for (const size of [1, 3, 1, 2, 5]) {
      const batch = await embedder.continueSession!(session.slice(next, next + size), state);
      batch.turns.forEach((turn, i) => expect(cosineSimilarity(turn.vectors.turn!, whole.turns[next + i]!.vectors.turn!)).toBeCloseTo(1, 5));
      state = batch.state;
      next += size;
      // The session vector so far is the one embedSession gives these turns.
      const upToHere = await embedder.embedSession(session.slice(0, next));
      expect(cosineSimilarity(batch.session!, upToHere.session!)).toBeCloseTo(1, 5);
    }
    expect(state!.turns).toBe(session.length);
  });

  it('should leave the session vector out when asked (session: false), and give it on the next call as if it had been made', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder(), heads: await createLinearScaleHeads({ directory: DEFAULT_HEADS_DIRECTORY }) });
    const skipped = await embedder.continueSession!(trip.slice(0, 2), undefined, { session: false });
    expect(skipped.session).toBeUndefined();
    expect(skipped.turns).toHaveLength(2);
    const made = await embedder.continueSession!(trip.slice(0, 2));
    expect(Array.from(skipped.turns[1]!.vectors.turn!)).toEqual(Array.from(made.turns[1]!.vectors.turn!));
    const afterSkipped = await embedder.continueSession!(trip.slice(2), skipped.state);
    const afterMade = await embedder.continueSession!(trip.slice(2), made.state);
    expect(Array.from(afterSkipped.session!)).toEqual(Array.from(afterMade.session!));
  });

  it('should refuse a session state it did not make', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    const other = createMultiScaleEmbedder({ encoder: createHashingEncoder({ dimensions: 128 }) });
    const { state } = await other.continueSession!(trip.slice(0, 2));
    for (const bad of [state, { embedderId: embedder.id, turns: 2 }, null, 'state'] as unknown as SessionState[]) {
      await expect(embedder.continueSession!(trip.slice(2), bad)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'state' } });
    }
    await expect(embedder.continueSession!([])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should let a turn carry its session context', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    const inTrip = await embedder.embedSession([...trip, 'It is on Friday.']);
    const inWork = await embedder.embedSession([...work, 'It is on Friday.']);
    const [tripQuery, workQuery] = await Promise.all([embedder.embedQuery(trip.join(' ')), embedder.embedQuery(work.join(' '))]);
    const inTripTurn = inTrip.turns.at(-1)!.vectors.turn!;
    const inWorkTurn = inWork.turns.at(-1)!.vectors.turn!;
    expect(cosineSimilarity(inTripTurn, tripQuery.vectors.turn!)).toBeGreaterThan(cosineSimilarity(inWorkTurn, tripQuery.vectors.turn!));
    expect(cosineSimilarity(inWorkTurn, workQuery.vectors.turn!)).toBeGreaterThan(cosineSimilarity(inTripTurn, workQuery.vectors.turn!));
  });

  it('should keep a turn to its own meaning with contextWeight 0, whatever came before it', async () => {
    const heads = createRandomProjectionHeads({ inputDimensions: createHashingEncoder().dimensions, dims: { token: 64, turn: 128, session: 128 } });
    const alone = createMultiScaleEmbedder({ encoder: createHashingEncoder(), heads, contextWeight: 0 });
    const blended = createMultiScaleEmbedder({ encoder: createHashingEncoder(), heads });
    expect(alone.id).not.toBe(blended.id); // vectors made one way never mix with the other's
    const last = async (embedder: typeof alone, before: readonly string[]) => Array.from((await embedder.embedSession([...before, 'It is on Friday.'])).turns.at(-1)!.vectors.turn!);
    expect(await last(alone, trip)).toEqual(await last(alone, work));
    expect(await last(alone, trip)).toEqual(await last(alone, []));
    expect(await last(blended, trip)).not.toEqual(await last(blended, work));
    // The session continued from its state agrees with the whole session, as with context.
    const { state } = await alone.continueSession!(trip);
    expect(Array.from((await alone.continueSession!(['It is on Friday.'], state)).turns[0]!.vectors.turn!)).toEqual(await last(alone, trip));
    for (const contextWeight of [-0.1, Number.NaN, Number.POSITIVE_INFINITY, '0.5' as never]) {
      expect(() => createMultiScaleEmbedder({ encoder: createHashingEncoder(), contextWeight })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('should place each turn nearest its own session at the session scale', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    const [a, b] = await Promise.all([embedder.embedSession(trip), embedder.embedSession(work)]);
    for (const [turns, own, other] of [
      [trip, a, b],
      [work, b, a],
    ] as const) {
      for (const turn of turns) {
        const { vectors } = await embedder.embedQuery(turn);
        expect(cosineSimilarity(vectors.session!, own.session!)).toBeGreaterThan(cosineSimilarity(vectors.session!, other.session!));
      }
    }
  });

  it('should embed a session of 100k tokens without truncating it', async () => {
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    const turns = Array.from({ length: 2000 }, (_, i) => `turn ${i}: ${'we talked about the long trip and the weather again '.repeat(5)}`);
    const result = await embedder.embedSession(turns, { from: 1990 });
    expect(result.turns).toHaveLength(10);
    expect(result.session!.every(Number.isFinite)).toBe(true);
  });

  it('should refuse heads made for another encoder size and bad input', async () => {
    const heads = createRandomProjectionHeads({ inputDimensions: 128, dims: { token: 64, turn: 64, session: 64 } });
    expect(() => createMultiScaleEmbedder({ encoder: createHashingEncoder(), heads })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    const embedder = createMultiScaleEmbedder({ encoder: createHashingEncoder() });
    await expect(embedder.embedSession(['ok', ''])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(embedder.embedQuery('  ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
