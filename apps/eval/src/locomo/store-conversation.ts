import type { ImportanceModel } from '@neuromem/controller';
import { createSemanticEncoder, type SemanticModel } from '@neuromem/embeddings';
import { createMemory, type MemoryOptions, type RankerModel } from 'neuromem';
import type { LocomoConversation } from './load-locomo';
import { sessionRunId, turnMessage } from './turn-message';

export interface StoredTurn {
  /** The memory id of the stored turn. */
  id: string;
  diaId: string;
  text: string;
  eventTime: number;
}

/** The fold models a conversation is stored and searched with, so none of them saw it. */
export interface FoldModelOptions {
  rankerFor?: (conversationId: string, variant: string) => Promise<RankerModel>;
  semanticFor?: (conversationId: string) => Promise<SemanticModel>;
  importanceFor?: (conversationId: string) => Promise<ImportanceModel>;
}

/** `createMemory` options with the conversation's fold models (none without them). */
export async function foldSettings(conversation: LocomoConversation, folds: FoldModelOptions): Promise<MemoryOptions> {
  return {
    ...(folds.rankerFor ? { ranker: await folds.rankerFor(conversation.sampleId, 'neuromem') } : {}),
    ...(folds.importanceFor ? { importance: await folds.importanceFor(conversation.sampleId) } : {}),
    ...(folds.semanticFor ? { semantic: { encoder: createSemanticEncoder({ model: await folds.semanticFor(conversation.sampleId) }) } } : {}),
  };
}

/** Stores the conversation turn by turn under its sample id as the user (one run per session), at `path`, and closes it. */
export async function storeConversation(path: string, conversation: LocomoConversation, settings: MemoryOptions): Promise<StoredTurn[]> {
  const memory = await createMemory({ path, ...settings });
  try {
    const turns: StoredTurn[] = [];
    for (const turn of conversation.sessions.flatMap((session) => session.turns)) {
      const [stored] = (await memory.add([turnMessage(turn)], { userId: conversation.sampleId, runId: sessionRunId(turn.session) })).results;
      turns.push({ id: stored!.id, diaId: turn.diaId, text: turn.text, eventTime: turn.time });
    }
    return turns;
  } finally {
    await memory.close();
  }
}
