import { spawn } from 'node:child_process';
import { onLines } from '@neuromem/core/testing';
import type { ChildLine } from './child-process';
import { lockRacerScript } from './lock-race-scripts';

/** A racer's answer for one start, or `{ t: 'exit' }` when the process died before answering. */
export type RacerLine = ChildLine;

export interface RacerPool {
  readonly size: number;
  /** Sends one start to every racer and waits for each one's answer (in racer order). */
  start(message: { round: number; path: string; at: bigint; holdMs: (racer: number) => number }): Promise<RacerLine[]>;
  stop(): void;
}

/**
 * `size` long-lived racer processes, so a thousand starts cost no thousand Node startups. A racer
 * that dies is replaced before the next start.
 */
export async function startRacerPool(entry: string, size: number, answerTimeoutMs = 120_000): Promise<RacerPool> {
  const script = lockRacerScript(entry);
  const racers = await Promise.all(Array.from({ length: size }, () => startRacer(script)));
  return {
    size,
    async start({ round, path, at, holdMs }) {
      for (let i = 0; i < racers.length; i++) if (racers[i]!.dead()) racers[i] = await startRacer(script);
      racers.forEach((racer, i) => racer.send({ round, path, at: String(at), holdMs: holdMs(i) }));
      return Promise.all(racers.map((racer) => racer.next(answerTimeoutMs)));
    },
    stop() {
      for (const racer of racers) racer.stop();
    },
  };
}

interface Racer {
  send(message: object): void;
  next(timeoutMs: number): Promise<RacerLine>;
  dead(): boolean;
  stop(): void;
}

function startRacer(script: string): Promise<Racer> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: RacerLine[] = [];
  let waiting: (() => void) | undefined;
  let stderr = '';
  let exited = false;
  const push = (line: RacerLine) => {
    lines.push(line);
    waiting?.();
  };
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  onLines(child.stdout, (text) => {
    try {
      push(JSON.parse(text) as RacerLine);
    } catch {
      push({ t: 'text', text }); // a stray print (a warning), not an answer
    }
  });
  child.stdin.on('error', () => {}); // a racer that died mid-write shows up as its `exit` line
  child.on('close', (code, signal) => {
    exited = true;
    push({ t: 'exit', code, signal, stderr: stderr.slice(-2000) });
  });

  const next = (timeoutMs: number) =>
    new Promise<RacerLine>((resolve) => {
      const timer = setTimeout(() => {
        waiting = undefined;
        child.kill('SIGKILL');
        resolve({ t: 'timeout', stderr: stderr.slice(-2000) });
      }, timeoutMs);
      const take = () => {
        const line = lines.shift();
        if (line?.t === 'text') return take();
        if (line === undefined) return void (waiting = take);
        waiting = undefined;
        clearTimeout(timer);
        resolve(line);
      };
      take();
    });

  const racer: Racer = {
    send: (message) => {
      if (!exited) child.stdin.write(`${JSON.stringify(message)}\n`);
    },
    next,
    dead: () => exited,
    stop: () => {
      child.stdin.end();
      child.kill('SIGKILL');
    },
  };
  return next(answerTimeout).then((line) => {
    if (line.t !== 'ready') throw new Error(`a lock racer did not start: ${JSON.stringify(line)}`);
    return racer;
  });
}

/** Importing the store takes a fraction of a second; a racer not ready in a minute is broken. */
const answerTimeout = 60_000;
