import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

/** Runs the built chat as a user would, typing `input` into it; resolves with its output. */
function runChat(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('apps/demo-chat/dist is missing: run "npm run build" first (npm test does it for you).');
});

describe('neuromem-chat', () => {
  it('should remember across two runs on the same --db and user', async () => {
    const dir = createTempDir();
    try {
      const args = ['--db', dir.path, '--user', 'sam'];
      const first = await runChat(args, 'My sister Ana lives in Porto.\nI booked the flight to Lisbon for 14 June.\n');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('user "sam", 0 memories');
      const second = await runChat(args, 'Where does my sister live?\n/memories\n');
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('user "sam", 2 memories');
      expect(second.stdout).toMatch(/you> Where does my sister live\?\nmemory> I would give the model 2 memories.*\n {2}- \[\d{4}-\d\d-\d\d user\] My sister Ana lives in Porto\./);
      expect(second.stdout).toContain('3 memories for sam:');
      const other = await runChat(['--db', dir.path, '--user', 'bob'], '/memories\n');
      expect(other.stdout).toContain('No memories for bob yet');
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('should refuse bad flags with one line and no stack trace', async () => {
    const badBudget = await runChat(['--budget', '0'], '');
    expect(badBudget.code).not.toBe(0);
    expect(badBudget.stderr).toContain('--budget must be a positive integer');
    const badGate = await runChat(['--gate', '1.5'], '');
    expect(badGate.code).not.toBe(0);
    expect(badGate.stderr).toContain('--gate must be a probability between 0 and 1, or "off"');
    const noModel = await runChat(['--llm', 'http://localhost:11434/v1'], '');
    expect(noModel.stderr).toContain('--llm needs --model');
    const scratch = createTempDir();
    const badUrl = await runChat(['--llm', 'localhost:11434', '--model', 'x', '--db', scratch.path], '');
    scratch.remove();
    expect(badUrl.stderr).toMatch(/^neuromem-chat: \[neuromem\] \[chat-model\] baseURL must be an http\(s\) URL/);
    for (const run of [badBudget, badGate, noModel, badUrl]) expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
