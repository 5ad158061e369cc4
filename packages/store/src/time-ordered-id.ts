import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made later sort later,
 * so every index keyed by memory id grows at its right edge: an add dirties a few pages instead of
 * one random page per index, which is what keeps write cost flat as the store grows. Within one
 * millisecond a counter in the random field keeps them increasing too.
 */
export function createTimeOrderedId(now: () => number = Date.now): () => string {
  let lastMs = -1;
  let counter = 0;
  const random = new Uint8Array(10);
  return () => {
    let ms = Math.max(now(), lastMs); // a clock stepping back does not break the order
    randomFillSync(random);
    if (ms === lastMs) {
      counter++;
      if (counter > 0xfff) {
        // 4,096 ids in one millisecond: borrow the next one.
        ms++;
        counter = random[0]! & 0x7ff;
      }
    } else counter = random[0]! & 0x7ff; // start low enough to leave room for the ones after it
    lastMs = ms;
    const hex = ms.toString(16).padStart(12, '0');
    const tail = Buffer.from(random).toString('hex');
    const version = (0x7000 | counter).toString(16);
    const variant = (0x80 | (random[2]! & 0x3f)).toString(16) + tail.slice(6, 8);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}-${variant}-${tail.slice(8, 20)}`;
  };
}
