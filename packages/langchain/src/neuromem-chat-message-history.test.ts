import { AIMessage, type BaseMessage, ChatMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableWithMessageHistory } from '@langchain/core/runnables';
import { FakeChatModel } from '@langchain/core/utils/testing';
import { createMemory, type Memory } from 'neuromem';
import { NeuroMemChatMessageHistory, type NeuroMemChatMessageHistoryInput } from './neuromem-chat-message-history';
import { NeuroMemRetriever } from './neuromem-retriever';

/** Each message as class, text and name: what a chat model would be given. */
const shape = (messages: BaseMessage[]) => messages.map((message) => ({ class: message.constructor.name, text: message.text, name: message.name }));

describe('NeuroMemChatMessageHistory', () => {
  let memory: Memory;
  const history = (fields: Partial<NeuroMemChatMessageHistoryInput> = {}) => new NeuroMemChatMessageHistory({ memory, userId: 'alice', sessionId: 'chat-1', ...fields });
  beforeEach(async () => {
    memory = await createMemory();
  });
  afterEach(() => memory.close());

  it('should give back the messages in order, as the classes they were added as, with their memory ids', async () => {
    const chat = history();
    await chat.addMessages([new HumanMessage('I moved to Lisbon last month.'), new AIMessage('How do you like it?')]);
    await chat.addUserMessage('I love the trams.');
    await chat.addAIMessage('They are iconic!');
    await chat.addMessage(new HumanMessage({ content: 'Hi from Maya, her friend.', name: 'Maya' }));
    await chat.addMessage(new AIMessage({ content: 'Hello Maya.', name: 'Guide' }));
    await chat.addMessage(new ChatMessage({ content: 'The call dropped.', role: 'narrator' }));

    const messages = await chat.getMessages();
    expect(shape(messages)).toEqual([
      { class: 'HumanMessage', text: 'I moved to Lisbon last month.', name: undefined },
      { class: 'AIMessage', text: 'How do you like it?', name: undefined },
      { class: 'HumanMessage', text: 'I love the trams.', name: undefined },
      { class: 'AIMessage', text: 'They are iconic!', name: undefined },
      { class: 'HumanMessage', text: 'Hi from Maya, her friend.', name: 'Maya' },
      { class: 'AIMessage', text: 'Hello Maya.', name: 'Guide' },
      { class: 'ChatMessage', text: 'The call dropped.', name: undefined },
    ]);
    expect((messages[6] as ChatMessage).role).toBe('narrator');
    const stored = (await memory.getAll({ userId: 'alice', runId: 'chat-1' })).results;
    expect(messages.map((message) => message.id)).toEqual(stored.map((item) => item.id));
    expect(stored.map((item) => item.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'Maya', 'Guide', 'narrator']);
  });

  it('should keep the words of the conversation, not instructions, tool traffic or empty messages', async () => {
    const chat = history();
    await chat.addMessages([
      new SystemMessage('You are a travel agent.'),
      new HumanMessage('What is the weather in Porto?'),
      new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'weather', args: { city: 'Porto' } }] }),
      new ToolMessage({ content: 'sunny, 24 C', tool_call_id: 'c1' }),
      new AIMessage({ content: [{ type: 'text', text: 'Sunny and 24 degrees.' }] }),
    ]);
    await chat.addMessage(new SystemMessage('Be brief.'));

    expect(shape(await chat.getMessages())).toEqual([
      { class: 'HumanMessage', text: 'What is the weather in Porto?', name: undefined },
      { class: 'AIMessage', text: 'Sunny and 24 degrees.', name: undefined },
    ]);
  });

  it("should hold one user's one session: clear() deletes only that session", async () => {
    await history().addUserMessage('Session one, Alice.');
    await history({ sessionId: 'chat-2' }).addUserMessage('Session two, Alice.');
    await history({ userId: 'bob' }).addUserMessage('Session one, Bob.');

    expect(shape(await history().getMessages()).map((message) => message.text)).toEqual(['Session one, Alice.']);
    await history().clear();
    expect(await history().getMessages()).toEqual([]);
    expect(shape(await history({ sessionId: 'chat-2' }).getMessages()).map((message) => message.text)).toEqual(['Session two, Alice.']);
    expect(shape(await history({ userId: 'bob' }).getMessages()).map((message) => message.text)).toEqual(['Session one, Bob.']);
  });

  it('should show turns the memory got from elsewhere in the session (memory.add, the AI SDK middleware)', async () => {
    await memory.add(
      [
        { role: 'user', content: 'Book me a table for two.' },
        { role: 'assistant', content: 'Done, 8 pm.' },
        { role: 'user', name: 'Maya', content: 'Make it three!' },
      ],
      { userId: 'alice', runId: 'chat-1' },
    );
    expect(shape(await history().getMessages())).toEqual([
      { class: 'HumanMessage', text: 'Book me a table for two.', name: undefined },
      { class: 'AIMessage', text: 'Done, 8 pm.', name: undefined },
      { class: 'HumanMessage', text: 'Make it three!', name: 'Maya' },
    ]);
  });

  it('should be the history of a RunnableWithMessageHistory, and long-term memory for the user’s other sessions', async () => {
    const prompt = ChatPromptTemplate.fromMessages([new MessagesPlaceholder('history'), ['human', '{question}']]);
    const chat = new RunnableWithMessageHistory({
      // Answers with the prompt it was given, so the test sees what a real model would.
      runnable: prompt.pipe(new FakeChatModel({})),
      getMessageHistory: (sessionId: string) => history({ sessionId }),
      inputMessagesKey: 'question',
      historyMessagesKey: 'history',
    });
    const ask = (question: string, sessionId: string) => chat.invoke({ question }, { configurable: { sessionId } });

    await ask('My sister Ana lives in Porto.', 'chat-1');
    const second = await ask('Where does she live?', 'chat-1');
    expect(second.text).toBe('My sister Ana lives in Porto.\nMy sister Ana lives in Porto.\nWhere does she live?');
    expect(shape(await history().getMessages()).map((message) => message.class)).toEqual(['HumanMessage', 'AIMessage', 'HumanMessage', 'AIMessage']);

    expect((await ask('Hello again!', 'chat-2')).text).toBe('Hello again!');
    const found = await new NeuroMemRetriever({ memory, userId: 'alice', limit: 3 }).invoke('Where does my sister live?');
    expect(found.map((doc) => [doc.pageContent, doc.metadata.role, doc.metadata.runId])).toContainEqual(['My sister Ana lives in Porto.', 'user', 'chat-1']);
  });

  it('should refuse fields that cannot work', () => {
    const bad: Array<[Partial<NeuroMemChatMessageHistoryInput>, string]> = [
      [{ memory: { add: async () => undefined } as unknown as Memory }, 'memory'],
      [{ userId: '' }, 'userId'],
      [{ sessionId: undefined }, 'sessionId'],
      [{ agentId: 7 as unknown as string }, 'agentId'],
    ];
    for (const [fields, field] of bad) expect(() => history(fields)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field } }));
  });
});
