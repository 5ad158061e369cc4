export { createMemory, type Memory } from './create-memory';
export { DEFAULT_WEIGHTS } from './score-candidates';
export type * from './types';
export { NeuroMemError, isNeuroMemError, type NeuroMemErrorCode } from '@neuromem/core';
export { createOpenAIChatModel, type OpenAIChatModelOptions } from './create-openai-chat-model';
