import { isNeuroMemError } from '../errors';

/** How a call ended, for tables of bad input: `'accepted'`, the NeuroMemError code, or `raw <error>`. */
export async function outcomeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'accepted';
  } catch (error) {
    return isNeuroMemError(error) ? error.code : `raw ${String(error)}`;
  }
}
