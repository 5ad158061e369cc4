import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// 'neuromem' does not export createOpenAIChatModel yet; the relative path keeps this test on the real client.
import { createOpenAIChatModel } from 'neuromem';
import type { LocomoTurn } from '../locomo/load-locomo';
import { buildAnswerPrompt, createLlmAnswerer } from './create-llm-answerer';

const DAY = 86_400_000;
const MAY_8 = Date.UTC(2023, 4, 8, 13, 56);
const turn = (diaId: string, session: number, time: number, speaker: string, text: string): LocomoTurn => ({ diaId, session, time, speaker, text });
const context = [turn('D2:3', 2, MAY_8 + 20 * DAY, 'Caroline', 'I went to a pride parade last weekend.'), turn('D1:2', 1, MAY_8, 'Melanie', 'I painted a sunrise on 7 May.')];

/** A chat-completions server: answers the judge prompt with `verdict` and anything else with `answer`. */
async function serveLlm(answer: string, verdict: string, delayMs = 0) {
  const prompts: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const prompt = (JSON.parse(raw) as { messages: Array<{ content: string }> }).messages[0]!.content;
      prompts.push(prompt);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: prompt.includes('Your task is to label an answer') ? verdict : answer } }] }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const chatModel = createOpenAIChatModel({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, model: 'tiny', apiKey: '', retryBaseDelayMs: 1 });
  return { chatModel, prompts, maxInFlight: () => maxInFlight };
}
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

const question = { question: 'When did Melanie paint a sunrise?', answer: '7 May 2023', category: 2 as const, context, referenceTime: MAY_8 + 30 * DAY };

describe('buildAnswerPrompt', () => {
  it('should list the turns in time order as "[date] Speaker: text" and state the reference date', () => {
    const prompt = buildAnswerPrompt(question);
    expect(prompt).toContain('[8 May 2023] Melanie: I painted a sunrise on 7 May.\n[28 May 2023] Caroline: I went to a pride parade last weekend.');
    expect(prompt).toContain('between Melanie and Caroline');
    expect(prompt).toContain('Today is 7 June 2023.');
    expect(prompt).toContain('Answer with exact words from the context whenever possible.');
    expect(prompt.endsWith('Question: When did Melanie paint a sunrise? Use the dates in brackets to answer with an approximate date. Short answer:')).toBe(true);
  });

  it('should add the date hint to temporal questions only and cope with an empty context', () => {
    const prompt = buildAnswerPrompt({ ...question, category: 4, context: [] });
    expect(prompt).not.toContain('approximate date');
    expect(prompt).toContain('(nothing was retrieved)');
  });
});

describe('createLlmAnswerer', () => {
  it('should answer from the context, then score token F1 and the judge verdict', async () => {
    const llm = await serveLlm('7 May 2023', 'Same date. {"label": "CORRECT"}');
    const scores = await createLlmAnswerer({ chatModel: llm.chatModel })(question);
    expect(scores).toEqual({ f1: 1, judge: 1 });
    expect(llm.prompts).toHaveLength(2);
    expect(llm.prompts[0]).toContain('[8 May 2023] Melanie: I painted a sunrise on 7 May.');
    expect(llm.prompts[1]).toContain('Question: When did Melanie paint a sunrise?\nGold answer: 7 May 2023\nGenerated answer: 7 May 2023\n');
  });

  it('should score a partial answer with partial F1 and a WRONG or unreadable verdict with 0', async () => {
    const wrong = await serveLlm('<think>dates...</think> May 2023', '{"label": "WRONG"}');
    expect(await createLlmAnswerer({ chatModel: wrong.chatModel })(question)).toEqual({ f1: 0.8, judge: 0 });
    expect(wrong.prompts[1]).toContain('Generated answer: May 2023\n');
    const mumbling = await serveLlm('7 May 2023', 'I am not sure.');
    expect((await createLlmAnswerer({ chatModel: mumbling.chatModel })(question)).judge).toBe(0);
  });

  it('should use the judge model for verdicts when one is given', async () => {
    const answerer = await serveLlm('7 May 2023', '{"label": "WRONG"}');
    const judge = await serveLlm('unused', '{"label": "CORRECT"}');
    expect((await createLlmAnswerer({ chatModel: answerer.chatModel, judgeModel: judge.chatModel })(question)).judge).toBe(1);
    expect(answerer.prompts).toHaveLength(1);
    expect(judge.prompts).toHaveLength(1);
  });

  it('should keep at most `concurrency` questions in flight', async () => {
    const llm = await serveLlm('7 May 2023', '{"label": "CORRECT"}', 20);
    const answer = createLlmAnswerer({ chatModel: llm.chatModel, concurrency: 2 });
    const scores = await Promise.all(Array.from({ length: 5 }, () => answer(question)));
    expect(scores.every((s) => s.judge === 1)).toBe(true);
    expect(llm.prompts).toHaveLength(10);
    expect(llm.maxInFlight()).toBe(2);
  });

  it('should reject a concurrency that is not a positive integer', () => {
    const chatModel = createOpenAIChatModel({ baseURL: 'http://127.0.0.1:9/v1', model: 'tiny' });
    expect(() => createLlmAnswerer({ chatModel, concurrency: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
