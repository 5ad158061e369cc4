import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import { AIMessage, type BaseMessage, ChatMessage, HumanMessage } from '@langchain/core/messages';
import type { EntityIds, Memory, MemoryItem, Message } from 'neuromem';
import { checkFields } from './check-fields';

export interface NeuroMemChatMessageHistoryInput {
  /** The memory the messages are stored in (`createMemory()`); its `add`, `getAll` and `deleteAll` are used. */
  memory: Pick<Memory, 'add' | 'getAll' | 'deleteAll'>;
  /** Whose conversation. */
  userId: string;
  /** The conversation: NeuroMem's `runId`. */
  sessionId: string;
  /** An agent or app the conversation belongs to. Default: none. */
  agentId?: string;
}

/** The metadata key that keeps each stored message's LangChain type, so it comes back as the same class. */
export const MESSAGE_TYPE_KEY = 'langchainType';

/**
 * A LangChain chat message history kept in NeuroMem: one user's conversation (`sessionId`, NeuroMem's
 * `runId`), each message stored as a memory, so the same memory later finds it for any of the
 * user's conversations. For `RunnableWithMessageHistory` and anything else that takes a
 * `BaseListChatMessageHistory`.
 *
 * Kept: human, AI and generic chat messages, as their text. Not kept: system and developer messages
 * (instructions, not things said, as `memory.add` does), tool calls and tool results, and messages
 * with no text.
 */
export class NeuroMemChatMessageHistory extends BaseListChatMessageHistory {
  static override lc_name() {
    return 'NeuroMemChatMessageHistory';
  }

  lc_namespace = ['neuromem', 'stores', 'message'];

  private readonly memory: NeuroMemChatMessageHistoryInput['memory'];
  private readonly scope: EntityIds;

  constructor(fields: NeuroMemChatMessageHistoryInput) {
    checkFields('NeuroMemChatMessageHistory', fields, ['add', 'getAll', 'deleteAll'], { required: ['userId', 'sessionId'], optional: ['agentId'] });
    super();
    this.memory = fields.memory;
    this.scope = { userId: fields.userId, runId: fields.sessionId, ...(fields.agentId !== undefined ? { agentId: fields.agentId } : {}) };
  }

  /** The conversation's messages in the order they happened; each message's `id` is its memory's id. */
  async getMessages(): Promise<BaseMessage[]> {
    const { results } = await this.memory.getAll(this.scope);
    return results.map(toLangChainMessage);
  }

  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /** Stores the messages in one write, in order. */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    const kept = messages.flatMap(toMemoryMessage);
    if (kept.length > 0) await this.memory.add(kept, this.scope);
  }

  /** Deletes this conversation's memories (tombstoned, kept in their history); the user's other conversations stay. */
  override async clear(): Promise<void> {
    await this.memory.deleteAll(this.scope);
  }
}

const ROLES: Readonly<Record<string, string>> = { human: 'user', ai: 'assistant' };

function toMemoryMessage(message: BaseMessage): Message[] {
  const type = message.getType();
  const text = message.text;
  if (text.trim() === '') return [];
  const metadata = { [MESSAGE_TYPE_KEY]: type };
  if (type === 'generic') return [{ role: (message as ChatMessage).role, content: text, metadata }];
  const role = ROLES[type];
  if (role === undefined) return [];
  return [{ role, content: text, metadata, ...(message.name ? { name: message.name } : {}) }];
}

function toLangChainMessage(item: MemoryItem): BaseMessage {
  const type = item.metadata[MESSAGE_TYPE_KEY];
  const speaker = item.role ?? 'user';
  const fields = { content: item.memory, id: item.id };
  if (type === 'generic') return new ChatMessage({ ...fields, role: speaker });
  if (type === 'ai' || (type === undefined && speaker === 'assistant')) return new AIMessage({ ...fields, ...(speaker !== 'assistant' ? { name: speaker } : {}) });
  // Human, and memories stored by other means under a speaker's name (memory.add's `name`).
  return new HumanMessage({ ...fields, ...(speaker !== 'user' ? { name: speaker } : {}) });
}
