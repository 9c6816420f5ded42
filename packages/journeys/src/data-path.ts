import { z } from 'zod';

/** A dotted path into an event's `data`: `formId`, `fields.topic`, `items.0.sku`. */
export const DataPath = z.string().regex(/^[^.\s]+(?:\.[^.\s]+)*$/, {
  error: 'a data path is field names joined by dots, like fields.topic',
});
export type DataPath = z.infer<typeof DataPath>;

/** A value compared by equality: journey files can only name JSON scalars. */
export const DataValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'a value to compare is a string, a number, true, false or null',
});
export type DataValue = z.infer<typeof DataValue>;

/** Pure. The value at a dotted path inside `data`, or undefined; only own properties are followed. */
export function valueAtPath(data: unknown, path: string): unknown {
  // Every trigger of every journey is tested against every event: no array of the path's parts.
  let current: unknown = data;
  let start = 0;
  for (;;) {
    const dot = path.indexOf('.', start);
    const key = dot === -1 ? (start === 0 ? path : path.slice(start)) : path.slice(start, dot);
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
    if (dot === -1) return current;
    start = dot + 1;
  }
}

/** Pure. True when each dotted path of `where` holds exactly (===) its value in `data`. */
export function dataMatches(where: Readonly<Record<string, DataValue>>, data: unknown): boolean {
  for (const path in where) {
    if (Object.hasOwn(where, path) && valueAtPath(data, path) !== where[path]) return false;
  }
  return true;
}
