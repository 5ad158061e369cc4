import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** What a tool computed: the text a model reads, and the same facts as the tool's output schema says. */
export interface ToolAnswer {
  text: string;
  structured: Record<string, unknown>;
}

/**
 * Runs a tool's work and turns the outcome into a tool result. A failure (a `NeuroMemError` such
 * as `NOT_FOUND` or `INVALID_INPUT`, or anything else) becomes an `isError` result carrying its
 * message: the agent can read it and try again, and the server goes on serving.
 */
export async function toolAnswer(work: () => Promise<ToolAnswer>): Promise<CallToolResult> {
  try {
    const { text, structured } = await work();
    return { content: [{ type: 'text', text }], structuredContent: structured };
  } catch (error) {
    return { content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }], isError: true };
  }
}
