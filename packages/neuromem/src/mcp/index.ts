export { createMcpServer, type CreateMcpServerOptions } from './create-mcp-server';
export { serveMcpHttp, type McpHttpServer, type ServeMcpHttpOptions } from './serve-mcp-http';
export type { MemoryExplanation } from './explain-memory';
