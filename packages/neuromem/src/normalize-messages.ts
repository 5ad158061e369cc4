import { createErrorFactory, parseTime, validateMetadata, validateText, type Metadata } from '@neuromem/core';
import type { Message } from './types';

const fail = createErrorFactory('neuromem');

export interface Turn {
  text: string;
  role: string | null;
  eventTime: number;
  metadata: Metadata;
}

/**
 * `add("text")` is one user turn; `add([...messages])` is one turn per message, in order. System
 * messages are instructions to a model, not things that happened, so they are not remembered.
 */
export function normalizeMessages(input: string | readonly Message[], defaults: { eventTime: number; metadata: Metadata }, maxChars: number): Turn[] {
  if (typeof input === 'string') return [{ text: validateText(input, { field: 'messages', maxChars, module: 'neuromem' }), role: 'user', ...defaults }];
  if (!Array.isArray(input)) throw fail('INVALID_INPUT', 'add() takes a string or an array of { role, content } messages.', { details: { field: 'messages' } });
  if (input.length === 0) throw fail('INVALID_INPUT', 'add() got an empty message list; pass at least one message.', { details: { field: 'messages' } });
  const turns: Turn[] = [];
  // An index loop, not forEach: forEach would skip the holes of a sparse array without a word.
  for (let i = 0; i < input.length; i++) {
    const message: Message = input[i]!;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw fail('INVALID_INPUT', `messages[${i}] must be { role, content }.`, { details: { field: `messages[${i}]` } });
    if (typeof message.role !== 'string' || message.role.trim() === '')
      throw fail('INVALID_INPUT', `messages[${i}].role must be a non-empty string such as "user".`, { details: { field: `messages[${i}].role` } });
    validateText(message.role, { field: `messages[${i}].role`, maxChars: 128, module: 'neuromem' });
    if (typeof message.content !== 'string') {
      throw fail('INVALID_INPUT', `messages[${i}].content must be text; describe images in words (e.g. "[shares a photo of ...]").`, { details: { field: `messages[${i}].content` } });
    }
    const text = validateText(message.content, { field: `messages[${i}].content`, maxChars, module: 'neuromem' });
    const eventTime = message.timestamp === undefined ? defaults.eventTime : parseTime(message.timestamp, { field: `messages[${i}].timestamp`, module: 'neuromem' });
    const name = message.name === undefined ? null : validateText(message.name, { field: `messages[${i}].name`, maxChars: 128, module: 'neuromem' });
    // Checked on its own first: spreading a string ("abc") would turn it into { 0: "a", ... }.
    const own = message.metadata === undefined ? undefined : validateMetadata(message.metadata, { module: 'neuromem' });
    if (message.role === 'system') continue;
    const metadata = own === undefined ? defaults.metadata : validateMetadata({ ...defaults.metadata, ...own }, { module: 'neuromem' });
    turns.push({ text, role: name ?? message.role, eventTime, metadata });
  }
  if (turns.length === 0) throw fail('INVALID_INPUT', 'add() got only system messages; there is nothing to remember.', { details: { field: 'messages' } });
  return turns;
}
