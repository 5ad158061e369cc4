#!/usr/bin/env node
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { isNeuroMemError, type ChatModel } from '@neuromem/core';
import { createMemory, createOpenAIChatModel } from 'neuromem';
import { createChatSession } from './chat-session';

interface CliOptions {
  db: string;
  user: string;
  llm?: string;
  model?: string;
  budget: number;
  timeout: number;
  gate?: number | false;
}

const positiveInt = (name: string) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError(`${name} must be a positive integer.`);
  return number;
};

/** A probability in [0, 1], or `off`: memories go in whatever their answerability. */
const gateValue = (value: string): number | false => {
  if (value === 'off') return false;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) throw new InvalidArgumentError('--gate must be a probability between 0 and 1, or "off".');
  return number;
};

const program = new Command()
  .name('neuromem-chat')
  .description('A terminal chat that remembers across runs. Without --llm it runs offline in memory-only mode and shows what it would give a model.')
  .option('--db <dir>', 'where the memory lives', join(homedir(), '.neuromem', 'demo-chat'))
  .option('--user <id>', 'whose memories to use', defaultUser())
  .option('--llm <baseURL>', 'an OpenAI-compatible API root, e.g. http://localhost:11434/v1 (Ollama); the key comes from OPENAI_API_KEY')
  .option('--model <name>', 'the model name on that server, e.g. llama3.1:8b (needed with --llm)')
  .option('--budget <tokens>', 'most memory tokens injected per message', positiveInt('--budget'), 800)
  .option('--timeout <ms>', 'how long to wait for the model', positiveInt('--timeout'), 60_000)
  .option('--gate <p|off>', "inject memories only when they answer the message with at least this probability (default: the relevance model's); off: always", gateValue)
  .showHelpAfterError();

async function main(): Promise<void> {
  const options = program.parse().opts<CliOptions>();
  if (options.llm !== undefined && options.model === undefined) program.error('--llm needs --model <name> too, e.g. --model llama3.1:8b.');
  if (options.model !== undefined && options.llm === undefined) program.error('--model needs --llm <baseURL> too, e.g. --llm http://localhost:11434/v1.');
  const chatModel: ChatModel | undefined = options.llm ? createOpenAIChatModel({ baseURL: options.llm, model: options.model!, timeoutMs: options.timeout, maxRetries: 1 }) : undefined;
  const memory = await createMemory({ path: options.db });
  const runId = `chat-${new Date().toISOString()}`;
  const write = (text: string) => process.stdout.write(text);
  const session = await createChatSession({ memory, userId: options.user, chatModel, tokenBudget: options.budget, ...(options.gate !== undefined ? { gate: options.gate } : {}), runId, write });
  // While the user reads the banner and types: their first question then finds their memories warm.
  void memory.prefetch({ userId: options.user }).catch(() => undefined);
  const stored = (await memory.getAll({ userId: options.user })).results.length;
  write(`NeuroMem demo chat: user "${options.user}", ${stored} memories in ${options.db}.\n`);
  write(
    chatModel
      ? `Talking to ${options.model} at ${options.llm}, with up to ${options.budget} tokens of memory per message.\n`
      : 'Memory-only mode (no --llm): each message gets the memories a model would be given, and why.\n',
  );
  write('/help lists the commands; /exit or Ctrl-D leaves.\n');

  const interactive = process.stdin.isTTY === true;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: 'you> ' });
  if (interactive) lines.prompt();
  try {
    for await (const line of lines) {
      // Piped input is echoed, so a transcript reads like the conversation it was.
      if (!interactive) write(`you> ${line}\n`);
      if (!(await session.handle(line))) break;
      if (interactive) lines.prompt();
    }
  } finally {
    lines.close();
    await memory.close();
  }
  write(`${interactive ? '\n' : ''}Bye; everything is saved.\n`);
}

function defaultUser(): string {
  try {
    return userInfo().username || 'me';
  } catch {
    return 'me';
  }
}

main().catch((error: unknown) => {
  // A locked or unreadable database is a user-facing condition, not a crash: one line, no stack.
  const message = isNeuroMemError(error) ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`neuromem-chat: ${message}\n`);
  process.exitCode = 1;
});
