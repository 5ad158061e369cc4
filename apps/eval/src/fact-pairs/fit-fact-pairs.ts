import { createErrorFactory } from '@neuromem/core';
import { createSameFactJudge, factPairFeatures, fitFactChanges, fitFactPairs, predictLogistic, rocAuc, semanticRangeOf, type FactPairModel, type FactPairStatement } from '@neuromem/controller';
import { createMemory } from 'neuromem';
import { loadLocomo, type LocomoConversation } from '../locomo/load-locomo';
import { questionTime, sessionRunId, turnMessage } from '../locomo/turn-message';
import { loadUpdateSet, type UpdateQuestion } from '../updates/run-updates';

const fail = createErrorFactory('eval');

/** Memories retrieved together per question: the head a knowledge update re-orders. */
const HEAD = 10;

export interface FactPair {
  conversation: string;
  older: FactPairStatement;
  newer: FactPairStatement;
  /** A question of the set cites both for one fact. */
  same: boolean;
  /** Of a same-fact pair: no one question cites both, so they give two values (the fact changed). */
  changed: boolean;
}

/**
 * Pairs of memories that retrieval brings up together (the first ten of every question of the set),
 * from NeuroMem as `createMemory()` stores the conversation: the pairs a judge of "same fact" meets
 * at query time. A pair is labelled the same fact when the set's questions cite both turns as
 * evidence of one fact (any of its versions).
 */
export async function collectFactPairs(
  conversations: readonly LocomoConversation[],
  questions: readonly UpdateQuestion[],
): Promise<{ pairs: FactPair[]; semanticRange: readonly [number, number] | undefined }> {
  const pairs: FactPair[] = [];
  let semanticRange: readonly [number, number] | undefined;
  for (const conversation of conversations) {
    const memory = await createMemory({ trackAccess: false, relevance: false });
    semanticRange = semanticRangeOf(memory.embedder, 'turn');
    try {
      const userId = conversation.sampleId;
      const memoryOf = new Map<string, string>();
      for (const turn of conversation.sessions.flatMap((session) => session.turns)) {
        const { results } = await memory.add([turnMessage(turn)], { userId, runId: sessionRunId(turn.session) });
        memoryOf.set(results[0]!.id, turn.diaId);
      }
      const own = questions.filter((q) => q.conversation === conversation.sampleId);
      const factsOf = new Map<string, Set<string>>();
      for (const q of own) if (q.fact) for (const id of q.evidence) factsOf.set(id, new Set([...(factsOf.get(id) ?? []), q.fact]));
      // A question's evidence is every turn that states the value it asks for.
      const citedBy = new Map<string, Set<number>>();
      own.forEach((q, index) => {
        for (const id of q.evidence) citedBy.set(id, new Set([...(citedBy.get(id) ?? []), index]));
      });
      const seen = new Set<string>();
      for (const q of own) {
        const { results } = await memory.search(q.question, { userId, topK: HEAD, referenceDate: questionTime(conversation) });
        const ids = results.map((r) => r.id);
        const records = new Map((await memory.store.getMany(ids)).map((record) => [record.id, record]));
        const vectors = await memory.store.vectors(ids, 'turn');
        for (let i = 0; i < ids.length; i++) {
          for (let j = i + 1; j < ids.length; j++) {
            const [a, b] = [records.get(ids[i]!)!, records.get(ids[j]!)!];
            const [older, newer] = a.eventTime <= b.eventTime ? [a, b] : [b, a];
            const key = `${older.id}>${newer.id}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const olderFacts = factsOf.get(memoryOf.get(older.id)!) ?? new Set();
            const same = [...(factsOf.get(memoryOf.get(newer.id)!) ?? [])].some((fact) => olderFacts.has(fact));
            const olderCited = citedBy.get(memoryOf.get(older.id)!) ?? new Set<number>();
            const changed = same && ![...(citedBy.get(memoryOf.get(newer.id)!) ?? [])].some((question) => olderCited.has(question));
            pairs.push({ conversation: conversation.sampleId, older: { record: older, vector: vectors.get(older.id) }, newer: { record: newer, vector: vectors.get(newer.id) }, same, changed });
          }
        }
      }
    } finally {
      await memory.close();
    }
  }
  return { pairs, semanticRange };
}

/**
 * Pairs retrieved together in conversations where no fact is known to change (LoCoMo's), every one
 * taken as two different facts: a chat between friends returns to its topics again and again, and a
 * judge fitted on changed facts alone takes such returns for new versions.
 */
export async function collectNegativePairs(path: string): Promise<FactPair[]> {
  const conversations = loadLocomo(path);
  const questions = conversations.flatMap((conversation) =>
    conversation.questions.filter((qa) => qa.category !== 5).map((qa): UpdateQuestion => ({ conversation: conversation.sampleId, question: qa.question, evidence: [], update: 'static', fact: null })),
  );
  const { pairs } = await collectFactPairs(conversations, questions);
  return pairs;
}

export interface FitFactPairsOptions {
  /** A LoCoMo-format file whose co-retrieved pairs are added as different facts (`collectNegativePairs`). */
  negatives?: string;
  /** What each of those pairs counts for against a labelled one (default `NEGATIVE_WEIGHT`). */
  negativeWeight?: number;
}

/**
 * A negative pair counts a twentieth of a labelled one: enough to stop links between statements that
 * only share a topic (LoCoMo: from 7.1 % of co-retrieved pairs to 0.3 %, held out by conversation),
 * not so much that the few labelled versions stop counting (session 44, apps/eval/RESULTS.md).
 */
export const NEGATIVE_WEIGHT = 0.05;

export interface FitFactPairsReport {
  model: FactPairModel;
  train: string[];
  test: string[];
  /** Held-out pairs: how well each judge separates same-fact pairs from the rest. */
  evaluation: Array<{ judge: string; auc: number; precision: number; recall: number }>;
  /**
   * The change model (`fitFactChanges`), fitted on the train conversations' same-fact pairs, and how
   * well it and two baselines tell a changed value from a restated one on the held-out pairs.
   */
  changes: { model: FactPairModel; evaluation: Array<{ judge: string; auc: number }> } | { skipped: string };
  /**
   * With `negatives`: the share of each negative conversation's pairs a sleep would link (P >= 0.5),
   * by a model fitted without that conversation, and by one fitted without any negatives.
   */
  negativeLinks?: { heldOut: number; withoutNegatives: number; pairs: number };
}

/**
 * Fits the fact-pair model on the `train` conversations of a knowledge-update set and measures it on
 * the others (at its fitted threshold, and at 0.5) against two baselines: the cosine of the turn vectors alone, and the restatement rule
 * retrieval uses without a model (same speaker, cosine at least 0.85).
 */
export async function fitFactPairsOn(data: string, train: readonly string[], options: FitFactPairsOptions = {}): Promise<FitFactPairsReport> {
  const weight = options.negativeWeight ?? NEGATIVE_WEIGHT;
  if (!(Number.isFinite(weight) && weight > 0)) throw fail('INVALID_INPUT', `--negative-weight must be a number > 0; got ${String(options.negativeWeight)}.`);
  const set = loadUpdateSet(data);
  const { pairs, semanticRange } = await collectFactPairs(set.conversations, set.questions);
  const trainSet = new Set(train);
  const fitted = pairs.filter((pair) => trainSet.has(pair.conversation));
  const held = pairs.filter((pair) => !trainSet.has(pair.conversation));
  const negatives = options.negatives ? (await collectNegativePairs(options.negatives)).map((pair) => ({ ...pair, weight })) : [];
  const model = fitFactPairs([...fitted, ...negatives], {
    semanticRange,
    note: {
      data: data.split('/').at(-1),
      conversations: [...trainSet].sort(),
      ...(options.negatives ? { negatives: options.negatives.split('/').at(-1), negativePairs: negatives.length, negativeWeight: weight } : {}),
    },
  });
  const judge = createSameFactJudge(model, semanticRange);
  const cosine = (pair: FactPair) => {
    const [a, b] = [pair.older.vector, pair.newer.vector];
    if (!a || !b) return 0;
    let dotAB = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < a.length; i++) {
      dotAB += a[i]! * b[i]!;
      aa += a[i]! ** 2;
      bb += b[i]! ** 2;
    }
    return dotAB / Math.sqrt(aa * bb || 1);
  };
  const judges: Array<[string, (pair: FactPair) => number, number]> = [
    ['fact-pair model', (pair) => judge(pair.older, pair.newer), 0.5],
    ['fact-pair model at p 0.5', (pair) => predictLogistic(model.model, factPairFeatures(pair.older, pair.newer, semanticRange)), 0.5],
    ['cosine', cosine, 0.5],
    ['restatement rule', (pair) => (pair.older.record.role === pair.newer.record.role && cosine(pair) >= 0.85 ? 1 : 0), 0.5],
  ];
  const evaluation = judges.map(([name, score, threshold]) => {
    const scores = held.map(score);
    const labels = held.map((pair) => pair.same);
    const chosen = scores.map((s) => s >= threshold);
    const truePositives = chosen.filter((c, i) => c && labels[i]).length;
    return {
      judge: name,
      auc: round(rocAuc(scores, labels)),
      precision: round(truePositives / Math.max(1, chosen.filter(Boolean).length)),
      recall: round(truePositives / Math.max(1, labels.filter(Boolean).length)),
    };
  });
  return {
    model,
    changes: fitChanges(fitted, held, semanticRange, data),
    train: [...trainSet].sort(),
    test: [...new Set(held.map((pair) => pair.conversation))].sort(),
    evaluation,
    ...(negatives.length > 0 ? { negativeLinks: negativeLinkRates(fitted, negatives, semanticRange) } : {}),
  };
}

/**
 * The change model on the same-fact pairs of the train conversations, measured on the held-out ones
 * against the time between the two statements alone and their shared words (fewer: changed).
 */
function fitChanges(fitted: readonly FactPair[], held: readonly FactPair[], semanticRange: readonly [number, number] | undefined, data: string): FitFactPairsReport['changes'] {
  const train = fitted.filter((pair) => pair.same);
  const changed = train.filter((pair) => pair.changed).length;
  if (changed === 0 || changed === train.length) return { skipped: `the train conversations' ${train.length} same-fact pairs hold ${changed === 0 ? 'no changed value' : 'no restatement'}` };
  const model = fitFactChanges(train, { semanticRange, note: { data: data.split('/').at(-1), conversations: [...new Set(fitted.map((pair) => pair.conversation))].sort() } });
  const judge = createSameFactJudge(model, semanticRange, { threshold: 0.5 });
  const sameFact = held.filter((pair) => pair.same);
  const labels = sameFact.map((pair) => pair.changed);
  const features = sameFact.map((pair) => factPairFeatures(pair.older, pair.newer, semanticRange));
  return {
    model,
    evaluation: [
      {
        judge: 'change model',
        auc: round(
          rocAuc(
            sameFact.map((pair) => judge(pair.older, pair.newer)),
            labels,
          ),
        ),
      },
      {
        judge: 'time between them',
        auc: round(
          rocAuc(
            features.map((f) => f.gap),
            labels,
          ),
        ),
      },
      {
        judge: 'fewer shared words',
        auc: round(
          rocAuc(
            features.map((f) => -f.sharedWords),
            labels,
          ),
        ),
      },
    ],
  };
}

/** Held out by negative conversation: the share of its pairs a sleep would link, with and without the other negatives in the fit. */
function negativeLinkRates(fitted: readonly FactPair[], negatives: ReadonlyArray<FactPair & { weight: number }>, semanticRange: readonly [number, number] | undefined) {
  const linked = (model: FactPairModel, pairs: readonly FactPair[]) => pairs.filter((pair) => predictLogistic(model.model, factPairFeatures(pair.older, pair.newer, semanticRange)) >= 0.5).length;
  const without = fitFactPairs(fitted, { semanticRange });
  let heldOut = 0;
  for (const conversation of new Set(negatives.map((pair) => pair.conversation))) {
    const model = fitFactPairs([...fitted, ...negatives.filter((pair) => pair.conversation !== conversation)], { semanticRange });
    heldOut += linked(
      model,
      negatives.filter((pair) => pair.conversation === conversation),
    );
  }
  return { heldOut: round(heldOut / negatives.length), withoutNegatives: round(linked(without, negatives) / negatives.length), pairs: negatives.length };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
