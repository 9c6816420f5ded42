import { TactfulError } from '@tactful/events';

/**
 * Pure. Parses JSON the store wrote itself. The store writes only JSON.stringify output, so text that
 * does not parse is damaged data, an `internal` error naming what it was, never retried.
 */
export function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new TactfulError('internal', `${what} is not JSON`, { cause: err });
  }
}
