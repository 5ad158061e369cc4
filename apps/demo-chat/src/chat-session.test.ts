import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createManualClock } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory, createOpenAIChatModel, type Memory } from 'neuromem';
import { createChatSession, type ChatSessionOptions } from './chat-session';

const NOW = Date.UTC(2026, 10, 24, 9);
const FACTS = ['I adopted a beagle named Biscuit last spring.', 'My sister Ana lives in Porto and I visit her every June.', 'I booked the flight to Lisbon for 14 June, it cost $420.'];

async function open(path?: string) {
  return createMemory({ ...(path ? { path } : {}), clock: createManualClock(NOW, { tick: 1000 }) });
}

async function chat(memory: Memory, options: Partial<ChatSessionOptions> = {}) {
  let output = '';
  const session = await createChatSession({ memory, userId: 'sam', tokenBudget: 800, runId: 'run-1', write: (text) => (output += text), ...options });
  return {
    session,
    async say(line: string) {
      output = '';
      await session.handle(line);
      return output;
    },
  };
}

describe('demo chat session in memory-only mode', () => {
  it('should recall what was said in an earlier run from the same database', async () => {
    const dir = createTempDir();
    try {
      const first = await open(dir.path);
      const { say } = await chat(first, { runId: 'run-1' });
      for (const fact of FACTS) await say(fact);
      await first.close();

      const second = await open(dir.path);
      const { say: ask } = await chat(second, { runId: 'run-2' });
      const answer = await ask('When is my flight to Lisbon and what did it cost?');
      expect(answer).toMatch(/^memory> I would give the model \d+ memories/);
      expect(answer.split('\n')[1]).toContain('I booked the flight to Lisbon for 14 June, it cost $420.');
      expect(answer).toContain('why:');
      await second.close();
    } finally {
      dir.remove();
    }
  });

  it('should inject the memories a question in other words needs when the gate is off, and nothing when the gate is 1', async () => {
    const memory = await open();
    try {
      const { say } = await chat(memory, { gate: false });
      for (const fact of FACTS) await say(fact);
      // No word in common with the beagle fact: the default gate may call nothing relevant; off, the memories go in.
      const answer = await say('What kind of pet do I own?');
      expect(answer).toMatch(/^memory> I would give the model \d+ memories/);
      expect(answer).toContain('I adopted a beagle named Biscuit last spring.');
      const { say: strict } = await chat(memory, { gate: 1 });
      // Held back by the gate: what came closest is shown, not injected.
      expect(await strict('When is my flight to Lisbon and what did it cost?')).toMatch(
        /^memory> Nothing passes the gate \(probability it answers 0\.\d\d\); the closest memory, held back: "I booked the flight to Lisbon for 14 June, it cost \$420\." \(--gate off injects anyway\)/,
      );
      // A user with nothing stored has nothing to come close.
      const { say: newcomer } = await chat(memory, { userId: 'nobody-yet' });
      expect(await newcomer('When is my flight to Lisbon?')).toMatch(/^memory> Nothing stored yet is relevant/);
    } finally {
      await memory.close();
    }
  });

  it("should list, forget and show the history of only the asked user's memories", async () => {
    const memory = await open();
    const { say } = await chat(memory);
    for (const fact of FACTS) await say(fact);
    const {
      results: [other],
    } = await memory.add('Bob keeps his bike in the garage.', { userId: 'bob' });
    const listed = await say('/memories');
    expect(listed).toMatch(/^3 memories for sam:/);
    expect(listed).not.toContain('Bob');
    expect(await say(`/forget ${other!.id.slice(-8)}`)).toMatch(/^! none of your memories/);
    expect(await memory.get(other!.id)).not.toBeNull();

    const beagle = listed
      .split('\n')
      .find((line) => line.includes('beagle'))!
      .trim()
      .slice(0, 8);
    expect(await say(`/forget ${beagle}`)).toMatch(/^Forgot [0-9a-f]{8}: "I adopted a beagle/);
    expect(await say('/memories')).toMatch(/^2 memories for sam:/);
    const history = await say(`/history ${beagle}`);
    expect(history).toMatch(/ADD +"I adopted a beagle/);
    expect(history).toMatch(/DELETE/);
    await memory.close();
  });

  it('should explain the last context and count the tokens saved against the whole history', async () => {
    const memory = await open();
    const { say } = await chat(memory, { tokenBudget: 30 });
    expect(await say('/why')).toMatch(/^No context yet/);
    for (const fact of FACTS) await say(fact);
    for (let i = 0; i < 10; i++) await say(`Note ${i}: the team meeting moved to room ${100 + i} on Thursday at ${9 + (i % 5)} am.`);
    await say('How much did the Lisbon flight cost?');
    const why = await say('/why');
    expect(why).toMatch(/^The last context: \d+ memories, \d+ tokens \(\d+ uncompressed\)/);
    expect(why).toMatch(/score 0\.\d{3}/);
    // Each memory is explained by the factors that moved its score most, signed.
    expect(why).toMatch(/[a-zA-Z]+ \d\.\d{2} \([+−]\d+\.\d{2}\)/);
    expect(why).toContain('Lisbon');
    const stats = await say('/stats');
    const saved = Number(/tokens saved +([\d.]+) %/.exec(stats)![1]);
    expect(saved).toBeGreaterThan(30);
    expect(stats).toMatch(/messages this run +14/);
    await memory.close();
  });

  it("should take /useful and /useless for the memories of the last message, and only the user's own", async () => {
    const memory = await open();
    const { say } = await chat(memory);
    expect(await say('/useful abc')).toMatch(/^! \/useful judges a memory given for your last message/);
    for (const fact of FACTS) await say(fact);
    const {
      results: [other],
    } = await memory.add('Bob keeps his bike in the garage.', { userId: 'bob' });
    await say('Where does my sister live?');
    const [sister] = (await memory.getAll({ userId: 'sam' })).results.filter((item) => item.memory.includes('Ana'));
    expect(await say(`/useful ${sister!.id.slice(-8)}`)).toMatch(
      /^Noted: \S+ helped with "Where does my sister live\?" \(1 judgements so far; your searches keep the global ranking until it does better\)/,
    );
    expect(await say(`/useless ${sister!.id.slice(-8)}`)).toMatch(/did not help .* \(2 judgements so far; /);
    expect(await say(`/useful ${other!.id.slice(-8)}`)).toMatch(/^! none of your memories/);
    await memory.close();
  });

  it('should answer user mistakes with one line and keep going', async () => {
    const memory = await open();
    const { say, session } = await chat(memory);
    expect(await say('/nope')).toBe('! unknown command /nope; /help lists the commands.\n');
    expect(await say('/forget')).toMatch(/^! \/forget needs a memory id/);
    expect(await say('   ')).toBe('');
    expect(await say('x'.repeat(200_000))).toMatch(/^! \[neuromem\] query has 200000 characters|^! .*100000/);
    expect(await say('/help')).toContain('/stats');
    expect(await session.handle('/exit')).toBe(false);
    await memory.close();
  });
});

describe('demo chat session with a model', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((server) => (server.closeAllConnections(), server.close())));

  /** A tiny OpenAI-compatible server that streams its answer and keeps the requests it got. */
  async function serveModel(answer: string) {
    const requests: Array<{ messages: Array<{ role: string; content: string }> }> = [];
    const server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        requests.push(JSON.parse(raw) as (typeof requests)[number]);
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const piece of answer.split(' ')) response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: `${piece} ` } }] })}\n\n`);
        response.end('data: [DONE]\n\n');
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests };
  }

  /** A chat with a model that answers `answer`, over a memory that already holds the facts. */
  async function chatAfterFacts(answer: string) {
    const server = await serveModel(answer);
    const memory = await open();
    const chatModel = createOpenAIChatModel({ baseURL: server.baseURL, model: 'tiny', apiKey: '' });
    const { say } = await chat(memory, { chatModel });
    await memory.add(
      FACTS.map((content) => ({ role: 'user', content })),
      { userId: 'sam', runId: 'earlier' },
    );
    return { server, memory, say };
  }

  it('should send the memory block in the system message, stream the answer and remember both sides', async () => {
    const { server, memory, say } = await chatAfterFacts('You fly on 14 June.');
    const reply = await say('When do I fly to Lisbon?');
    expect(reply).toBe('bot> You fly on 14 June. \n');
    const system = server.requests[0]!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('[2026-11-24 user] I booked the flight to Lisbon for 14 June');
    const stored = (await memory.getAll({ userId: 'sam' })).results.map((item) => `${item.role}: ${item.memory}`);
    expect(stored.slice(-2)).toEqual(['user: When do I fly to Lisbon?', 'assistant: You fly on 14 June. ']);
    await memory.close();
  });

  it('should teach the memory which sources the answer used', async () => {
    const { memory, say } = await chatAfterFacts('You fly to Lisbon on 14 June; the flight cost $420.');
    await say('When do I fly to Lisbon?');
    // The flight memory's words (flight, cost, june) are in the answer; the others' are not.
    expect(await memory.store.readUserState!('sam', 'neuromem.adaptation')).toMatchObject({ interactions: 1 });
    await memory.close();
  });

  it('should say which URL failed when the model is down, remember the message and stay alive', async () => {
    const memory = await open();
    const chatModel = createOpenAIChatModel({ baseURL: 'http://127.0.0.1:9/v1', model: 'tiny', maxRetries: 0, apiKey: '' });
    const { say, session } = await chat(memory, { chatModel });
    const reply = await say('Remember that my locker code is 4512.');
    expect(reply).toContain('! [chat-model] cannot reach http://127.0.0.1:9/v1/chat/completions');
    expect(reply).toContain('your message is remembered all the same');
    expect((await memory.getAll({ userId: 'sam' })).results.map((item) => item.memory)).toEqual(['Remember that my locker code is 4512.']);
    expect(await session.handle('/stats')).toBe(true);
    await memory.close();
  });
});
