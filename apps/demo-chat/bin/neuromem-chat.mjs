#!/usr/bin/env node
// A committed entry point, so the bin link exists right after `npm ci`; the CLI itself is built.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('neuromem-chat: apps/demo-chat is not built yet; run "npm run build" at the repository root.');
  process.exit(1);
}
await import(cli.href);
