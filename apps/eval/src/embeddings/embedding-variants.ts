import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory, type Embedder } from '@neuromem/core';
import { createHashingEncoder, createLinearScaleHeads, createMultiScaleEmbedder, createSingleScaleEmbedder, createTransformersEncoder, DEFAULT_HEADS_DIRECTORY } from '@neuromem/embeddings';
import type { EmbedderForConversation } from './run-embedding-eval';

const fail = createErrorFactory('eval');

export interface VariantOptions {
  /** Trained heads for the hashing encoder; default: the heads shipped with @neuromem/embeddings. */
  headsDir?: string;
  /** Cross-validation folds: `<dir>/<conversation id>/` holds heads trained without that conversation. */
  headsCvDir?: string;
  /** A transformers.js model directory to evaluate as well. */
  modelDir?: string;
}

/** The embedders `neuromem-eval embeddings` compares, by name. */
export async function embeddingVariants(options: VariantOptions): Promise<Array<[string, EmbedderForConversation]>> {
  const hashing = () => createHashingEncoder();
  const variants: Array<[string, EmbedderForConversation]> = [
    ['hashing, single scale', async () => createSingleScaleEmbedder(hashing())],
    ['hashing, fallback heads', async () => createMultiScaleEmbedder({ encoder: hashing() })],
  ];
  if (options.headsCvDir) {
    const cvDir = options.headsCvDir;
    variants.push([
      'hashing, trained heads (held-out folds)',
      async (conversation) => {
        const fold = join(cvDir, conversation);
        if (!existsSync(fold)) throw fail('NOT_FOUND', `--heads-cv ${cvDir} has no fold for ${conversation}; train folds with tools/train/scale-heads/train.sh.`);
        return createMultiScaleEmbedder({ encoder: hashing(), heads: await createLinearScaleHeads({ directory: fold }) });
      },
    ]);
  } else {
    const heads = await createLinearScaleHeads({ directory: options.headsDir ?? DEFAULT_HEADS_DIRECTORY });
    const label = options.headsDir ? `hashing, heads from ${options.headsDir}` : 'hashing, shipped heads (trained on the dev split: not held out)';
    variants.push([label, async () => createMultiScaleEmbedder({ encoder: hashing(), heads })]);
  }
  if (options.modelDir) {
    const encoder = await createTransformersEncoder({ model: options.modelDir });
    const single: Embedder = createSingleScaleEmbedder(encoder);
    variants.push([`transformers ${options.modelDir}, single scale`, async () => single]);
    variants.push([`transformers ${options.modelDir}, fallback heads`, async () => createMultiScaleEmbedder({ encoder })]);
  }
  return variants;
}
