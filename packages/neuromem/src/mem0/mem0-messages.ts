import { createErrorFactory, describeValue } from '@neuromem/core';
import type { Message } from '../types';

const fail = createErrorFactory('mem0');
const invalid = (message: string) => fail('INVALID_INPUT', message, { details: { field: 'messages' } });

const blank = (content: unknown) => typeof content === 'string' && content.trim() === '';

/**
 * The messages `add` remembers, checked with Mem0's wording: a string is one user message; system
 * messages and blank ones are left out (Mem0 stores nothing for them either). The rest go to the
 * memory as they are, so a message's `name`, `timestamp` and `metadata` keep working.
 */
export function mem0Messages(messages: unknown): Message[] {
  if (messages === undefined || messages === null) throw invalid('messages is required and cannot be undefined or null. Provide a string or array of messages.');
  if (typeof messages === 'string') {
    if (messages.trim() === '') throw invalid('messages string cannot be empty. Provide non-empty content.');
    return [{ role: 'user', content: messages }];
  }
  if (!Array.isArray(messages)) throw invalid(`messages must be a string or an array of { role, content } messages, got ${describeValue(messages)}.`);
  if (messages.length === 0) throw invalid('messages array cannot be empty. Provide at least one message with non-empty content.');
  const list = Array.from(messages as unknown[]);
  if (list.every((message) => blank((message as Message | undefined)?.content))) {
    throw invalid('messages array cannot contain only blank content. Provide at least one message with non-empty content.');
  }
  return list.filter((message) => !(typeof message === 'object' && message !== null && ((message as Message).role === 'system' || blank((message as Message).content)))) as Message[];
}
