import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeepModel } from '@neuromem/compression';
import { parseImportanceModel } from '@neuromem/controller';
import { createErrorFactory, type TextEncoder } from '@neuromem/core';
import { createLinearScaleHeads, createSemanticEncoder, loadSemanticModel } from '@neuromem/embeddings';
import { parseRankerModel } from 'neuromem';
import { parseNameList } from './cli-args';
import { loadLocomo, type LocomoConversation } from './locomo/load-locomo';
import type { SystemContext } from './systems/retrieval-system';

const fail = createErrorFactory('eval');

/** The `--*-cv` flags: directories of models fitted without each conversation. */
export interface FoldFlags {
  headsCv?: string;
  rankerCv?: string;
  semanticCv?: string;
  importanceCv?: string;
}

/** The flags of a command that runs over a LoCoMo file's conversations with fold models. */
export interface ConversationRunFlags extends FoldFlags {
  data: string;
  conversations?: string;
  seed: string;
  json?: string;
  quiet?: boolean;
}

/** The fold models the flags name, as the options every runner takes (absent flags, absent keys). */
export function foldModels(o: FoldFlags): Pick<SystemContext, 'headsFor' | 'rankerFor' | 'semanticFor' | 'importanceFor'> {
  return {
    ...(o.headsCv ? { headsFor: foldHeads(o.headsCv) } : {}),
    ...(o.rankerCv ? { rankerFor: foldRanker(o.rankerCv) } : {}),
    ...(o.semanticCv ? { semanticFor: foldSemantic(o.semanticCv) } : {}),
    ...(o.importanceCv ? { importanceFor: foldImportance(o.importanceCv) } : {}),
  };
}

/** Per-conversation keep models from cross-validation folds: `<dir>/<sample_id>.json`. */
export function foldKeepModel(directory: string) {
  return (conversationId: string) => {
    const file = join(directory, `${conversationId}.json`);
    if (!existsSync(file)) throw fail('NOT_FOUND', `--keep-model-cv ${directory} has no model for ${conversationId}; make folds with \`neuromem-eval fit-compressor --cv-out ${directory}\`.`);
    return parseKeepModel(JSON.parse(readFileSync(file, 'utf8')), file);
  };
}

/** Per-conversation, per-variant rankers from cross-validation folds: `<dir>/<sample_id>/<variant>.json`. */
export function foldRanker(directory: string) {
  return async (conversationId: string, variant: string) => {
    const file = join(directory, conversationId, `${variant}.json`);
    if (!existsSync(file)) throw fail('NOT_FOUND', `--ranker-cv ${directory} has no ${variant} ranker for ${conversationId}; make folds with \`neuromem-eval fit-ranker --cv-out ${directory}\`.`);
    return parseRankerModel(JSON.parse(readFileSync(file, 'utf8')), file);
  };
}

/** Per-conversation semantic models made by tools/train/semantic-encoder/train.sh (its --work folder's folds/). */
export function foldSemantic(directory: string) {
  return async (conversationId: string) => {
    const file = join(directory, conversationId, 'semantic-model.json');
    if (!existsSync(file)) throw fail('NOT_FOUND', `--semantic-cv ${directory} has no model for ${conversationId}; make folds with tools/train/semantic-encoder/train.sh.`);
    return loadSemanticModel(file);
  };
}

/** Per-conversation importance models from `neuromem-eval fit-importance --cv-out`: `<dir>/<sample_id>.json`. */
export function foldImportance(directory: string) {
  return async (conversationId: string) => {
    const file = join(directory, `${conversationId}.json`);
    if (!existsSync(file)) throw fail('NOT_FOUND', `--importance-cv ${directory} has no model for ${conversationId}; make folds with \`neuromem-eval fit-importance --cv-out ${directory}\`.`);
    return parseImportanceModel(JSON.parse(readFileSync(file, 'utf8')), file);
  };
}

/** Per-conversation heads from cross-validation folds: `<dir>/<sample_id>/`. */
export function foldHeads(directory: string) {
  return async (conversationId: string) => {
    const fold = join(directory, conversationId);
    if (!existsSync(fold)) throw fail('NOT_FOUND', `--heads-cv ${directory} has no fold for ${conversationId}; make folds with tools/train/scale-heads/train.sh.`);
    return createLinearScaleHeads({ directory: fold });
  };
}

/** The compressor's sentence encoder per conversation (`--semantic-cv`: a fold's model; `--semantic`: the shipped one), or none. */
export function clauseEncoder(o: { semantic?: boolean; semanticCv?: string }): ((conversationId: string) => Promise<TextEncoder>) | undefined {
  if (o.semanticCv) {
    const fold = foldSemantic(o.semanticCv);
    return async (conversationId) => createSemanticEncoder({ model: await fold(conversationId) });
  }
  if (!o.semantic) return undefined;
  const shipped = createSemanticEncoder();
  return async () => shipped;
}

/** The conversations `--conversations` names (all when absent); an unknown id is `INVALID_INPUT`. */
export function selectConversations(all: LocomoConversation[], ids: string | undefined, source: string): LocomoConversation[] {
  if (!ids) return all;
  const wanted = parseNameList(ids, '--conversations');
  const unknown = wanted.filter((id) => !all.some((c) => c.sampleId === id));
  if (unknown.length > 0) throw fail('INVALID_INPUT', `--conversations: ${unknown.join(', ')} not in ${source} (it has ${all.map((c) => c.sampleId).join(', ')}).`);
  return all.filter((c) => wanted.includes(c.sampleId));
}

/**
 * The files `--extra-data` names, each read at once (before any long run, so a wrong path fails
 * first and is named by its flag), with its conversations.
 */
export function loadExtraData(files: string | undefined, only?: string): Array<{ file: string; conversations: LocomoConversation[] }> {
  const sets = loadDataFiles(files, '--extra-data');
  if (only === undefined) return sets;
  // A set's other half stays out of every fit: what it is measured on (`updates` on 06-10, say).
  const ids = new Set(parseNameList(only, '--extra-conversations'));
  const known = new Set(sets.flatMap((set) => set.conversations.map((c) => c.sampleId)));
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length > 0) throw fail('INVALID_INPUT', `--extra-conversations names ${unknown.join(', ')}, which no --extra-data file holds.`);
  return sets.map((set) => ({ ...set, conversations: set.conversations.filter((c) => ids.has(c.sampleId)) })).filter((set) => set.conversations.length > 0);
}

/** LoCoMo-format files named by a comma-separated flag, each with its conversations. */
export function loadDataFiles(files: string | undefined, flag: string): Array<{ file: string; conversations: LocomoConversation[] }> {
  return (files ? parseNameList(files, flag) : []).map((file) => ({ file, conversations: loadLocomo(file, flag) }));
}
