import { explainScore, type Memory, type MemoryContext, type MemoryItem } from 'neuromem';
import { clip, formatHistoryLine, formatMemoryLine, percent, shortId } from './format';
import { tokensSaved, type SessionStats } from './session-stats';

export interface CommandContext {
  memory: Memory;
  userId: string;
  stats: SessionStats;
  lastContext: MemoryContext | undefined;
  /** The message the last context was built for. */
  lastQuery?: string | undefined;
  historyTokens: () => number;
  write: (text: string) => void;
  /** Memories forgotten in this run, so `/history` still finds them by their short id. */
  forgotten: MemoryItem[];
}

/** `exit` ends the chat; `forgot` tells the session a memory is gone. */
export type CommandOutcome = 'done' | 'exit' | 'forgot';

const LIST_LIMIT = 20;

export const HELP = [
  'Type a message to chat. Commands:',
  '  /memories [all]   what is stored for you (the last 20, or all)',
  '  /why              the sources and score breakdown of the last context',
  '  /useful <id>      that memory helped with your last message (your searches learn from it)',
  '  /useless <id>     that memory did not help with your last message',
  '  /forget <id>      delete a memory (the short id /memories shows is enough)',
  '  /history <id>     how a memory was added, changed or deleted',
  '  /stats            tokens injected vs sending your whole history',
  '  /help             this list',
  '  /exit             leave (Ctrl-D works too); everything is already saved',
].join('\n');

export async function runCommand(line: string, context: CommandContext): Promise<CommandOutcome> {
  const [name = '', ...args] = line.slice(1).trim().split(/\s+/);
  const { write } = context;
  switch (name.toLowerCase()) {
    case 'memories':
      write(await listMemories(context, args[0] === 'all'));
      return 'done';
    case 'why':
      write(explainLastContext(context.lastContext));
      return 'done';
    case 'useful':
    case 'useless': {
      if (!context.lastQuery) {
        write(`! /${name} judges a memory given for your last message; send a message first.\n`);
        return 'done';
      }
      const item = await resolveId(context, args[0], name);
      if (!item) return 'done';
      const useful = name.toLowerCase() === 'useful';
      const { interactions, adapted } = await context.memory.feedback({ memoryId: item.id, query: context.lastQuery, useful, userId: context.userId });
      const ranking = adapted ? 'your searches use what it learned' : 'your searches keep the global ranking until it does better';
      write(`Noted: ${shortId(item.id)} ${useful ? 'helped' : 'did not help'} with "${clip(context.lastQuery, 60)}" (${interactions} judgements so far; ${ranking}).\n`);
      return 'done';
    }
    case 'forget': {
      const item = await resolveId(context, args[0], 'forget');
      if (!item) return 'done';
      await context.memory.delete(item.id, { userId: context.userId });
      context.forgotten.push(item);
      write(`Forgot ${shortId(item.id)}: "${clip(item.memory, 80)}". /history ${shortId(item.id)} still shows it was there.\n`);
      return 'forgot';
    }
    case 'history': {
      const item = await resolveId(context, args[0], 'history', true);
      if (!item) return 'done';
      const rows = await context.memory.history(item.id, { userId: context.userId });
      write(`History of ${shortId(item.id)}:\n${rows.map((row) => `  ${formatHistoryLine(row)}`).join('\n')}\n`);
      return 'done';
    }
    case 'stats':
      write(await formatStats(context));
      return 'done';
    case 'help':
    case '?':
      write(`${HELP}\n`);
      return 'done';
    case 'exit':
    case 'quit':
      return 'exit';
    default:
      write(`! unknown command /${name}; /help lists the commands.\n`);
      return 'done';
  }
}

async function listMemories({ memory, userId }: CommandContext, all: boolean): Promise<string> {
  const { results } = await memory.getAll({ userId });
  if (results.length === 0) return `No memories for ${userId} yet: say something and it will be remembered.\n`;
  const shown = all ? results : results.slice(-LIST_LIMIT);
  const head = shown.length < results.length ? `${results.length} memories for ${userId}; the last ${shown.length} (/memories all for every one):` : `${results.length} memories for ${userId}:`;
  return `${head}\n${shown.map((item) => `  ${formatMemoryLine(item)}`).join('\n')}\n`;
}

function explainLastContext(context: MemoryContext | undefined): string {
  if (!context) return 'No context yet: /why explains the memories given for your last message.\n';
  if (context.sources.length === 0) return 'The last message found no relevant memory.\n';
  const lines = [
    `The last context: ${context.sources.length} memories, ${context.tokens} tokens (${context.fullTokens} uncompressed)${context.dropped.length ? `, ${context.dropped.length} left out` : ''}.`,
  ];
  context.sources.forEach((source, rank) => {
    const kept = source.spans.reduce((sum, span) => sum + span.end - span.start, 0);
    lines.push(`  ${rank + 1}. ${shortId(source.id)}  score ${source.score?.toFixed(3)}  kept ${kept} of ${source.memory.length} characters`);
    lines.push(`     "${clip(source.memory, 90)}"`);
    lines.push(`     ${explainScore(source.scoreBreakdown, { top: 5 })}`);
  });
  if (context.notice) lines.push(`  note: ${context.notice}`);
  return `${lines.join('\n')}\n`;
}

async function formatStats({ memory, userId, stats, historyTokens }: CommandContext): Promise<string> {
  const stored = await memory.store.count({ scope: { userId } });
  const rows: Array<[string, string]> = [
    ['memories stored', `${stored} (${historyTokens()} tokens)`],
    ['messages this run', String(stats.turns)],
    ['memory tokens injected', String(stats.contextTokens)],
    ['whole history would be', `${stats.wholeHistoryTokens} tokens`],
    ['tokens saved', stats.wholeHistoryTokens === 0 ? '-' : percent(tokensSaved(stats))],
    ['context time', stats.turns === 0 ? '-' : `${(stats.contextMs / stats.turns).toFixed(1)} ms per message`],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  return `${rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join('\n')}\n`;
}

/**
 * The user's memory an id names (whole, its start, or its end as `/memories` shows it), or undefined after saying why not. Other users'
 * memories are never matched, so one user cannot forget another's. `withDeleted` also looks at
 * the memories forgotten in this run (for `/history`).
 */
async function resolveId({ memory, userId, write, forgotten }: CommandContext, prefix: string | undefined, command: string, withDeleted = false): Promise<MemoryItem | undefined> {
  if (!prefix) {
    write(`! /${command} needs a memory id; /memories lists them.\n`);
    return undefined;
  }
  const needle = prefix.toLowerCase();
  const { results } = await memory.getAll({ userId });
  const named = (item: MemoryItem) => item.id.startsWith(needle) || item.id.endsWith(needle);
  const matches = results.filter(named);
  if (matches.length === 0 && withDeleted) matches.push(...forgotten.filter(named));
  if (matches.length === 1) return matches[0];
  write(
    matches.length === 0
      ? `! none of your memories has an id starting or ending with "${prefix}"; /memories lists them.\n`
      : `! "${prefix}" matches ${matches.length} memories; type more of the id.\n`,
  );
  return undefined;
}
