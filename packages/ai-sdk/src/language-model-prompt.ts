import type { LanguageModelMiddleware } from 'ai';

// The provider-level types, reached through `ai` (the package users install) rather than @ai-sdk/provider.
type TransformParams = NonNullable<LanguageModelMiddleware['transformParams']>;
/** What a wrapped model is called with: the AI SDK's `LanguageModelV3CallOptions`. */
export type LanguageModelCallOptions = Parameters<TransformParams>[0]['params'];
export type LanguageModelPrompt = LanguageModelCallOptions['prompt'];
export type LanguageModelGenerateResult = Awaited<ReturnType<NonNullable<LanguageModelMiddleware['wrapGenerate']>>>;
export type LanguageModelStreamResult = Awaited<ReturnType<NonNullable<LanguageModelMiddleware['wrapStream']>>>;
export type LanguageModelStreamPart = LanguageModelStreamResult['stream'] extends ReadableStream<infer Part> ? Part : never;

/**
 * The words of the user message the model is answering: the prompt's last user message (in a tool
 * loop, the steps after it carry tool calls and results, not a new question). Its text parts are
 * joined by line breaks; files are not words. Empty when there is no user text.
 */
export function lastUserText(prompt: LanguageModelPrompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i]!;
    if (message.role !== 'user') continue;
    return message.content
      .flatMap((part) => (part.type === 'text' ? [part.text] : []))
      .join('\n')
      .trim();
  }
  return '';
}

/**
 * The prompt with one system message added right after its leading system messages. The app's own
 * system prompt stays byte-identical, so a provider's prompt caching of it keeps working, and every
 * system message stays before the conversation, where providers accept them.
 */
export function withSystemMessage(prompt: LanguageModelPrompt, content: string): LanguageModelPrompt {
  let at = 0;
  while (at < prompt.length && prompt[at]!.role === 'system') at++;
  return [...prompt.slice(0, at), { role: 'system', content }, ...prompt.slice(at)];
}
