import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const PACKAGE = join(__dirname, '..');

/**
 * The README's TypeScript block under "## Usage", compiled to JavaScript (types dropped) and run by
 * node as an ES module from the package directory, so it imports the built packages as a user's code would.
 */
function runReadmeExample(): Promise<{ code: number; stdout: string; stderr: string }> {
  const example = /^## Usage\n[\s\S]*?^```ts\n([\s\S]*?)^```$/m.exec(readFileSync(join(PACKAGE, 'README.md'), 'utf8'))?.[1];
  if (!example) throw new Error('README.md has no ```ts block under "## Usage"');
  const { outputText } = ts.transpileModule(example, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--input-type=module'], { cwd: PACKAGE }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(outputText);
  });
}

describe('README example', () => {
  beforeAll(() => {
    if (!existsSync(join(PACKAGE, 'dist', 'index.js'))) throw new Error('packages/ai-sdk/dist is missing: run "npm run build" first (npm test does it for you).');
  });

  it('should run: the model sees the memory, and the exchange is remembered', async () => {
    const { code, stdout, stderr } = await runReadmeExample();
    // stderr shows in the failure message when the example fails.
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const [block, result] = stdout.split(/\n(?=In Porto\.)/);
    expect(block).toMatch(/^What you remember from earlier conversations[^\n]*\n- \[\d{4}-\d\d-\d\d user\] My sister Ana lives in Porto\.$/);
    expect(result).toBe('In Porto. 3\n');
  });
});
