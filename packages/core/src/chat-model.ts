export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface ChatResult {
  content: string;
  usage?: { promptTokens: number; completionTokens: number };
}

/** An OpenAI-compatible chat model. Optional everywhere: NeuroMem never needs one on the write path. */
export interface ChatModel {
  readonly specVersion: 'neuromem.chat-model/v1';
  readonly id: string;
  chat(messages: readonly ChatMessage[], options?: ChatOptions): Promise<ChatResult>;
  stream?(messages: readonly ChatMessage[], options?: ChatOptions): AsyncIterable<string>;
}
