import { parentPort } from 'node:worker_threads';
import { fitRanker, type FitRankerOptions, type RankingExample } from 'neuromem';

/**
 * One of `fitRankers`' worker threads: it receives every conversation's examples once, then fits
 * one model per message — all conversations but the one left out — and sends the model back.
 */
let conversations: RankingExample[][] = [];
parentPort!.on('message', (message: { examples: RankingExample[][] } | { id: number; leaveOut: number; options: FitRankerOptions }) => {
  if ('examples' in message) {
    conversations = message.examples;
    return;
  }
  const training = conversations.filter((_, i) => i !== message.leaveOut).flat();
  parentPort!.postMessage({ id: message.id, model: fitRanker(training, message.options) });
});
