import type { ChatMessage } from '@neuromem/core';
import type { MemoryContext } from './types';

export interface WithMemoryContextOptions {
  /** Introduces the memory block in the system message. */
  heading?: string;
}

const DEFAULT_HEADING =
  'What you remember from earlier conversations with this user (one line per memory: [date speaker] what was said; "…" marks omitted words). Use it when relevant; newer lines win over older ones.';

/**
 * The chat messages with the memory block added to the system message (one is created first when
 * there is none). Messages are copied, never changed; with an empty context they come back as is.
 *
 * @example
 * const context = await memory.context(question, { userId, tokenBudget: 800 });
 * const { content } = await chat.chat(withMemoryContext([{ role: 'user', content: question }], context));
 */
export function withMemoryContext(messages: readonly ChatMessage[], context: Pick<MemoryContext, 'text'>, options: WithMemoryContextOptions = {}): ChatMessage[] {
  const copy = messages.map((message) => ({ ...message }));
  if (context.text.trim() === '') return copy;
  const block = `${options.heading ?? DEFAULT_HEADING}\n${context.text}`;
  const system = copy.find((message) => message.role === 'system');
  if (system) {
    system.content = system.content.trim() === '' ? block : `${system.content}\n\n${block}`;
    return copy;
  }
  return [{ role: 'system', content: block }, ...copy];
}
