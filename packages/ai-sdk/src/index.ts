export { neuromemMiddleware, type MemoryPhase, type NeuroMemMiddlewareOptions, type ScopeId } from './neuromem-middleware';
export type { LanguageModelCallOptions } from './language-model-prompt';
