import { quickstartCode } from './run-quickstart';
import { rewriteTestFile } from './rewrite-test-file';

const TEST = 'mem0-ts/src/oss/tests/memory.crud.test.ts';

describe('rewriteTestFile', () => {
  it("should change only the imports of Mem0's public modules, and list the internals the test names", () => {
    const source = [
      '/// <reference types="jest" />',
      'import { Memory } from "../src/memory";',
      'import type { MemoryItem, SearchResult } from "../src/types";',
      'import { logger } from "../src/utils/logger";',
      'jest.mock("../src/llms/openai", () => ({ OpenAILLM: jest.fn() }));',
      'jest.mock("../src/utils/factory", () => jest.requireActual("../src/vector_stores/memory"));',
      'const memory = new Memory({ llm: { provider: "openai", config: {} } });',
    ].join('\n');
    const { text, changes, internals } = rewriteTestFile(source, TEST);
    expect(text.split('\n')).toEqual([
      '/// <reference types="jest" />',
      'import { Memory } from "neuromem/mem0";',
      'import type { MemoryItem, SearchResult } from "neuromem/mem0";',
      ...source.split('\n').slice(3),
    ]);
    expect(changes).toEqual(['from "../src/memory" -> from "neuromem/mem0"', 'from "../src/types" -> from "neuromem/mem0"']);
    expect(internals).toEqual(['mem0-ts/src/oss/src/llms/openai', 'mem0-ts/src/oss/src/utils/factory', 'mem0-ts/src/oss/src/utils/logger', 'mem0-ts/src/oss/src/vector_stores/memory']);
  });

  it('should leave a test that imports nothing of Mem0 as it is', () => {
    const source = "import * as fs from 'fs';\nconst x = require('path');";
    expect(rewriteTestFile(source, TEST)).toEqual({ text: source, changes: [], internals: [] });
  });
});

describe('quickstartCode', () => {
  it('should join the code blocks of the first-memory steps, and no others', () => {
    const [init, search] = ['const memory = new Memory();', 'console.log(await memory.search("q", { filters: { user_id: "alice" } }));'];
    const mdx = [
      '# Node SDK Quickstart',
      '## Install and run your first memory',
      '```bash\nnpm install mem0ai\n```',
      `\`\`\`ts\n${init}\n\`\`\``,
      '**Output**\n```json\n{ "results": [] }\n```',
      `\`\`\`ts\n${search}\n\`\`\``,
      '## Configure providers',
      '```ts\nconst other = new Memory({ llm: {} });\n```',
    ].join('\n');
    expect(quickstartCode(mdx)).toBe(`${init}\n\n${search}`);
  });
});
