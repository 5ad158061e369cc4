import { join } from 'node:path';

/**
 * Scale heads trained by `tools/train/scale-heads` for the default hashing encoder (384-d), shipped
 * as plain float32 files for `createLinearScaleHeads` in the package's `heads/` folder. `__dirname`
 * is src/ under jest and dist/ when built (tsup shims it in ESM); both sit beside `heads/`.
 */
export const DEFAULT_HEADS_DIRECTORY = join(__dirname, '..', 'heads', 'hashing-384');
