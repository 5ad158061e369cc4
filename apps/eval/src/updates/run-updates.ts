import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import { loadLocomo, type LocomoConversation } from '../locomo/load-locomo';
import { questionTime } from '../locomo/turn-message';
import { mean } from '../metrics/retrieval-metrics';
import type { SystemContext, SystemFactory } from '../systems/retrieval-system';
import { countLinks, emptyLinkCounts, emptyMissCounts, MISS_CAUSES, missCause, turnsOfFacts, type LinkCounts, type MissCounts } from './update-misses';

const fail = createErrorFactory('eval');

/** What a knowledge-update question asks of a fact that changed: its value now, before, when it changed, or a fact that never changed. */
export type UpdateKind = 'current' | 'previous' | 'when' | 'static';
export const UPDATE_KINDS: readonly UpdateKind[] = ['current', 'previous', 'when', 'static'];

export interface UpdateQuestion {
  conversation: string;
  question: string;
  /** The turns that state the asked value (for `current`, every statement of the current value). */
  evidence: string[];
  update: UpdateKind;
  fact: string | null;
}

/**
 * Reads a knowledge-update set: a LoCoMo-format file whose `qa` items also carry `update` (current,
 * previous, when, static) and `fact` (a label of the fact, for the table only). Questions without
 * `update` are skipped.
 */
export function loadUpdateSet(path: string): { conversations: LocomoConversation[]; questions: UpdateQuestion[] } {
  const conversations = loadLocomo(path);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Array<{ sample_id: string; qa: Array<Record<string, unknown>> }>;
  const questions: UpdateQuestion[] = [];
  for (const sample of raw) {
    for (const qa of sample.qa ?? []) {
      if (qa.update === undefined) continue;
      if (!UPDATE_KINDS.includes(qa.update as UpdateKind))
        throw fail('INVALID_INPUT', `${path}: ${sample.sample_id} has a question with update ${JSON.stringify(qa.update)}; use one of ${UPDATE_KINDS.join(', ')}.`);
      questions.push({
        conversation: sample.sample_id,
        question: String(qa.question),
        evidence: (qa.evidence as unknown[]).map(String),
        update: qa.update as UpdateKind,
        fact: typeof qa.fact === 'string' ? qa.fact : null,
      });
    }
  }
  if (questions.length === 0) throw fail('INVALID_INPUT', `${path} has no question with an "update" key (current, previous, when or static).`);
  return { conversations, questions };
}

export interface UpdatesOptions {
  data: string;
  systems: ReadonlyArray<readonly [string, SystemFactory]>;
  /** Only these conversations (sample ids); default all. */
  conversations?: readonly string[];
  context?: Omit<SystemContext, 'conversation' | 'directory'>;
  onProgress?: (step: { system: string; conversation: string }) => void;
}

export interface UpdateKindResult {
  questions: number;
  /** The best result is a turn that states the asked value. */
  hitAt1: number;
  /** One of the first five does. */
  hitAt5: number;
}

export interface UpdatesReport {
  data: string;
  conversations: string[];
  systems: Record<string, Record<UpdateKind, UpdateKindResult>>;
  /** Each system's misses at rank 1, by kind of question and cause (see `missCause`). */
  misses: Record<string, Record<UpdateKind, MissCounts>>;
  /** For systems that sleep: what their version links join (see `countLinks`). */
  links: Record<string, LinkCounts>;
}

/** Results asked for per question: the first five score, the first ten tell why a miss missed. */
const RANKED = 10;

/**
 * Knowledge updates: each conversation is stored turn by turn, the system settles (a NeuroMem that
 * sleeps consolidates here), then every question is asked once, a day after the last session.
 * A question scores a hit at k when one of the first k results states the value it asks for.
 */
export async function runUpdates(options: UpdatesOptions): Promise<UpdatesReport> {
  const set = loadUpdateSet(options.data);
  const conversations = options.conversations ? set.conversations.filter((c) => options.conversations!.includes(c.sampleId)) : set.conversations;
  if (conversations.length === 0) throw fail('INVALID_INPUT', `no conversation of ${options.data} matches ${options.conversations?.join(', ')}.`);
  const report: UpdatesReport = { data: options.data, conversations: conversations.map((c) => c.sampleId), systems: {}, misses: {}, links: {} };
  for (const [name, factory] of options.systems) {
    const hits: Array<{ update: UpdateKind; at1: number; at5: number }> = [];
    const misses = Object.fromEntries(UPDATE_KINDS.map((kind) => [kind, emptyMissCounts()])) as Record<UpdateKind, MissCounts>;
    // Counted only for systems that sleep (those that make version links).
    let links: LinkCounts | undefined;
    for (const conversation of conversations) {
      const directory = mkdtempSync(join(tmpdir(), 'neuromem-updates-'));
      const system = await factory({ conversation, directory, ...options.context });
      try {
        for (const turn of conversation.sessions.flatMap((session) => session.turns)) {
          await system.add(turn);
          options.onProgress?.({ system: name, conversation: conversation.sampleId });
        }
        await system.settle?.();
        const referenceTime = questionTime(conversation);
        const own = set.questions.filter((q) => q.conversation === conversation.sampleId);
        const texts = new Map(conversation.sessions.flatMap((session) => session.turns.map((turn) => [turn.diaId, turn.text] as const)));
        const context = { turnsOfFact: turnsOfFacts(own), textOf: (id: string) => texts.get(id) };
        if (system.versionLinks) countLinks(await system.versionLinks(), context.turnsOfFact, (links ??= emptyLinkCounts()));
        for (const question of own) {
          const ranked = await system.search(question.question, RANKED, referenceTime);
          const evidence = new Set(question.evidence);
          hits.push({ update: question.update, at1: evidence.has(ranked[0] ?? '') ? 1 : 0, at5: ranked.slice(0, 5).some((id) => evidence.has(id)) ? 1 : 0 });
          const miss = missCause(question, ranked, context);
          if (miss) {
            misses[question.update][miss.cause]++;
            if (miss.cause === 'relevance' && !miss.sharesWord) misses[question.update].noSharedWord++;
          }
          options.onProgress?.({ system: name, conversation: conversation.sampleId });
        }
      } finally {
        await system.close();
        rmSync(directory, { recursive: true, force: true });
      }
    }
    report.systems[name] = Object.fromEntries(
      UPDATE_KINDS.map((kind) => {
        const rows = hits.filter((hit) => hit.update === kind);
        return [kind, { questions: rows.length, hitAt1: round(mean(rows.map((r) => r.at1))), hitAt5: round(mean(rows.map((r) => r.at5))) }];
      }),
    ) as Record<UpdateKind, UpdateKindResult>;
    report.misses[name] = misses;
    if (links) report.links[name] = links;
  }
  return report;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The report as a table: one row per system, hit@1 (hit@5) per kind of question. */
export function formatUpdatesTable(report: UpdatesReport): string {
  const header = `| system | ${UPDATE_KINDS.map((kind) => `${kind} @1 (@5)`).join(' | ')} |`;
  const rule = `|---|${UPDATE_KINDS.map(() => '---').join('|')}|`;
  const rows = Object.entries(report.systems).map(
    ([name, result]) => `| ${name} | ${UPDATE_KINDS.map((kind) => `${result[kind].hitAt1.toFixed(3)} (${result[kind].hitAt5.toFixed(3)})`).join(' | ')} |`,
  );
  const counts = UPDATE_KINDS.map((kind) => `${kind} ${Object.values(report.systems)[0]?.[kind].questions ?? 0}`).join(', ');
  const linked = Object.entries(report.links).map(
    ([name, { total, oneFact, differentFacts, uncited }]) =>
      `${name}: ${total} version links made by its sleeps; ${oneFact} join two statements of one fact, ${differentFacts} two different facts, ${uncited} a turn no question cites`,
  );
  return [`${report.conversations.length} conversations; questions: ${counts}`, header, rule, ...rows, '', formatMissesTable(report), ...(linked.length > 0 ? ['', ...linked] : [])].join('\n');
}

/**
 * Misses at rank 1 of `current` and `previous` questions by cause: another version first (order),
 * another subject first (relevance; in brackets, how many of those share no word with the question),
 * or no statement of the value in the first ten (absent).
 */
export function formatMissesTable(report: UpdatesReport): string {
  const kinds: UpdateKind[] = ['current', 'previous'];
  const header = `| misses at rank 1 | ${kinds.map((kind) => `${kind}: ${MISS_CAUSES.join(' / ')}`).join(' | ')} |`;
  const rule = `|---|${kinds.map(() => '---').join('|')}|`;
  const rows = Object.entries(report.misses).map(
    ([name, misses]) => `| ${name} | ${kinds.map((kind) => `${misses[kind].order} / ${misses[kind].relevance} (${misses[kind].noSharedWord}) / ${misses[kind].absent}`).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
