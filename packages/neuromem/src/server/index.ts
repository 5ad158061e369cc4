export { createMemoryServer, type MemoryServerOptions } from './create-memory-server';
export { serveMemory, type RunningMemoryServer, type ServeMemoryOptions } from './serve-memory';
export type { ServerToken } from './bearer-auth';
export type { HttpErrorBody, HttpErrorCode } from './http-errors';
