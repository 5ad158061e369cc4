import { isNeuroMemError } from '@neuromem/core';
import { normalizeMessages } from './normalize-messages';

const defaults = { eventTime: Date.UTC(2023, 4, 8), metadata: { source: 'chat' } };
const codeOf = (input: unknown) => {
  try {
    normalizeMessages(input as never, defaults, 1000);
    return 'accepted';
  } catch (error) {
    return isNeuroMemError(error) ? error.code : `raw ${String(error)}`;
  }
};

describe('normalizeMessages', () => {
  it('should merge per-message metadata over the call metadata', () => {
    expect(normalizeMessages([{ role: 'user', content: 'hi', metadata: { dia_id: 'D1:1' } }], defaults, 1000)[0]!.metadata).toEqual({ source: 'chat', dia_id: 'D1:1' });
  });

  it.each([
    ['metadata given as a string, which spreading would turn into { 0: "a", ... }', [{ role: 'user', content: 'hi', metadata: 'abc' }]],
    ['metadata given as an array', [{ role: 'user', content: 'hi', metadata: ['a'] }]],
    ['a role with a lone surrogate', [{ role: 'us\uD800er', content: 'hi' }]],
    ['a role longer than 128 characters', [{ role: 'r'.repeat(129), content: 'hi' }]],
    ['a hole in the message list', [, { role: 'user', content: 'hi' }]],
    ['a message given as an array', [['user', 'hi']]],
    [
      'a system message with bad metadata',
      [
        { role: 'system', content: 'be brief', metadata: 'abc' },
        { role: 'user', content: 'hi' },
      ],
    ],
    ['a timestamp on 30 February', [{ role: 'user', content: 'hi', timestamp: '2023-02-30' }]],
  ])('should reject %s with INVALID_INPUT', (_label, input) => {
    expect(codeOf(input)).toBe('INVALID_INPUT');
  });
});
