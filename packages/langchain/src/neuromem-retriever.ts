import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { Memory, MemoryItem, SearchOptions } from 'neuromem';
import { checkFields, fail } from './check-fields';

export interface NeuroMemRetrieverInput extends BaseRetrieverInput {
  /** The memory to search (`createMemory()`); only its `search` is used. */
  memory: Pick<Memory, 'search'>;
  /** Whose memories: searches never reach another user's. */
  userId: string;
  /** Only memories of this agent or app. Default: all of the user's. */
  agentId?: string;
  /** Only memories of this conversation. Default: all of the user's. */
  runId?: string;
  /** How many memories, most useful first. Default: 10, as `memory.search`. */
  limit?: number;
  /** Leave out memories whose score (the probability that they are useful) is below this. Default: none. */
  threshold?: number;
  /** Equality filters on the memories' metadata. */
  filters?: SearchOptions['filters'];
}

/** What each document's `metadata` holds besides the memory's own metadata (which it spreads first). */
export interface NeuroMemDocumentMetadata {
  /** The memory's id (also the document's `id`), for `memory.get`, `update`, `delete` and `feedback`. */
  id: string;
  /** The probability that the memory is useful for the query. */
  score: number | undefined;
  /** When it happened (ISO 8601). */
  eventTime: string;
  /** When it was stored (ISO 8601). */
  createdAt: string;
  /** Who said it: `user`, `assistant` or the speaker's name. */
  role: string | null;
  userId?: string;
  agentId?: string;
  runId?: string;
  [key: string]: unknown;
}

/**
 * A LangChain retriever over one user's NeuroMem memories: `invoke(query)` returns the most useful
 * ones as Documents (the memory's text as `pageContent`, its id, score and times in `metadata`).
 *
 * @example
 * const retriever = new NeuroMemRetriever({ memory, userId: 'alice', limit: 5 });
 * const docs = await retriever.invoke('where does my sister live?');
 */
export class NeuroMemRetriever extends BaseRetriever<NeuroMemDocumentMetadata> {
  static override lc_name() {
    return 'NeuroMemRetriever';
  }

  lc_namespace = ['neuromem', 'retrievers'];

  private readonly memory: Pick<Memory, 'search'>;
  private readonly searchOptions: SearchOptions;

  constructor(fields: NeuroMemRetrieverInput) {
    checkFields('NeuroMemRetriever', fields, ['search'], { required: ['userId'], optional: ['agentId', 'runId'] });
    const { memory, userId, agentId, runId, limit, threshold, filters, ...base } = fields;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw fail(`new NeuroMemRetriever({ limit }) must be a positive whole number, got ${limit}.`, 'limit');
    super(base);
    this.memory = memory;
    this.searchOptions = {
      userId,
      ...(agentId !== undefined ? { agentId } : {}),
      ...(runId !== undefined ? { runId } : {}),
      ...(limit !== undefined ? { topK: limit } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      ...(filters !== undefined ? { filters } : {}),
    };
  }

  override async _getRelevantDocuments(query: string): Promise<Document<NeuroMemDocumentMetadata>[]> {
    const { results } = await this.memory.search(query, this.searchOptions);
    return results.map(toDocument);
  }
}

function toDocument(item: MemoryItem): Document<NeuroMemDocumentMetadata> {
  const { id, memory, score, eventTime, createdAt, role, userId, agentId, runId } = item;
  return new Document({
    id,
    pageContent: memory,
    metadata: {
      ...item.metadata,
      id,
      score,
      eventTime,
      createdAt,
      role,
      ...(userId !== undefined ? { userId } : {}),
      ...(agentId !== undefined ? { agentId } : {}),
      ...(runId !== undefined ? { runId } : {}),
    },
  });
}
