import type { Document } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableSequence } from '@langchain/core/runnables';
import { FakeChatModel } from '@langchain/core/utils/testing';
import { createMemory, type Memory } from 'neuromem';
import { NeuroMemRetriever, type NeuroMemRetrieverInput } from './neuromem-retriever';

describe('NeuroMemRetriever', () => {
  let memory: Memory;
  beforeEach(async () => {
    memory = await createMemory();
    await memory.add('My sister Ana lives in Porto.', { userId: 'alice', runId: 'chat-1', metadata: { source: 'onboarding' } });
    await memory.add('I adopted a beagle named Biscuit last spring.', { userId: 'alice', agentId: 'vet-bot', runId: 'chat-2' });
    await memory.add('My sister Eva lives in Oslo.', { userId: 'bob' });
  });
  afterEach(() => memory.close());

  it("should return the user's most useful memories as documents, and never another user's", async () => {
    const docs = await new NeuroMemRetriever({ memory, userId: 'alice' }).invoke('Where does my sister live?');

    expect(docs[0]!.pageContent).toBe('My sister Ana lives in Porto.');
    expect(docs.map((doc) => doc.pageContent)).not.toContain('My sister Eva lives in Oslo.');
    const [stored] = (await memory.getAll({ userId: 'alice', runId: 'chat-1' })).results;
    expect(docs[0]!.id).toBe(stored!.id);
    expect(docs[0]!.metadata).toEqual({
      source: 'onboarding',
      id: stored!.id,
      score: expect.any(Number),
      eventTime: stored!.eventTime,
      createdAt: stored!.createdAt,
      role: 'user',
      userId: 'alice',
      runId: 'chat-1',
    });
    expect(docs[0]!.metadata.score).toBeGreaterThan(0);
    expect(docs[0]!.metadata.score).toBeLessThanOrEqual(1);
  });

  it('should keep to limit, threshold, agentId, runId and metadata filters', async () => {
    const search = (fields: Partial<NeuroMemRetrieverInput>) => new NeuroMemRetriever({ memory, userId: 'alice', ...fields }).invoke('Where does my sister live?');
    const texts = (docs: Document[]) => docs.map((doc) => doc.pageContent);

    expect(await search({})).toHaveLength(2);
    expect(texts(await search({ limit: 1 }))).toEqual(['My sister Ana lives in Porto.']);
    expect(texts(await search({ agentId: 'vet-bot' }))).toEqual(['I adopted a beagle named Biscuit last spring.']);
    expect(texts(await search({ runId: 'chat-1' }))).toEqual(['My sister Ana lives in Porto.']);
    expect(texts(await search({ filters: { source: 'onboarding' } }))).toEqual(['My sister Ana lives in Porto.']);
    const all = await search({});
    const cut = (all[0]!.metadata.score! + all[1]!.metadata.score!) / 2;
    expect(texts(await search({ threshold: cut }))).toEqual([all[0]!.pageContent]);
  });

  it('should feed a chain: prompt, chat model and parser, with the memories in the prompt', async () => {
    const retriever = new NeuroMemRetriever({ memory, userId: 'alice', limit: 1 });
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'What you remember about the user:\n{memories}'],
      ['human', '{question}'],
    ]);
    const chain = RunnableSequence.from([
      {
        memories: RunnableSequence.from([(input: { question: string }) => input.question, retriever, (docs: Document[]) => docs.map((doc) => doc.pageContent).join('\n')]),
        question: (input: { question: string }) => input.question,
      },
      prompt,
      // Answers with the prompt it was given, so the test sees exactly what a real model would.
      new FakeChatModel({}),
      new StringOutputParser(),
    ]);

    const answer = await chain.invoke({ question: 'Where does my sister live?' });
    expect(answer).toBe('What you remember about the user:\nMy sister Ana lives in Porto.\nWhere does my sister live?');
  });

  it('should refuse fields that cannot work', () => {
    const bad: Array<[Partial<NeuroMemRetrieverInput>, string]> = [
      [{ memory: {} as Memory }, 'memory'],
      [{ userId: '' }, 'userId'],
      [{ userId: undefined }, 'userId'],
      [{ runId: ' ' }, 'runId'],
      [{ limit: 0 }, 'limit'],
    ];
    for (const [fields, field] of bad) {
      expect(() => new NeuroMemRetriever({ memory, userId: 'alice', ...fields })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field } }));
    }
  });
});
