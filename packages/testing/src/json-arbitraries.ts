import fc from 'fast-check';

// fast-check arbitraries of the JSON an attacker sends: nested far past any limit, wide, cut short. For the
// property tests of everything that reads JSON at the edge (events, commands, the ingest API).

/** JSON text with its nesting depth: how many arrays and objects the deepest scalar sits in. */
export interface NestedJson {
  readonly text: string;
  readonly levels: number;
}

/**
 * Pure. JSON text of `levels` arrays and objects nested in one another around the scalar `leaf` (JSON
 * text), each level an array or an object as `kinds` says, cyclically (`true` = array).
 */
export function nestedJson(levels: number, kinds: readonly boolean[] = [true], leaf = '0'): NestedJson {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < levels; i++) {
    const array = kinds.length === 0 || kinds[i % kinds.length] === true;
    open.push(array ? '[' : '{"k":');
    close.push(array ? ']' : '}');
  }
  return { text: open.join('') + leaf + close.reverse().join(''), levels };
}

const scalarText = fc
  .oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
  )
  .map((value) => JSON.stringify(value));

/**
 * A scalar nested 0 to `maxLevels` deep in arrays and objects; half the time near `around` (a limit under
 * test), where off-by-one mistakes live.
 */
export function nestedJsonArb(maxLevels: number, around = 64): fc.Arbitrary<NestedJson> {
  const levels = fc.oneof(
    fc.integer({ min: Math.max(0, around - 3), max: around + 3 }),
    fc.integer({ min: 0, max: maxLevels }),
  );
  return fc
    .tuple(levels, fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), scalarText)
    .map(([n, kinds, leaf]) => nestedJson(n, kinds, leaf));
}

/** An array or an object of up to `maxWidth` scalars, as JSON text. */
export function wideJsonArb(maxWidth: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: maxWidth }), fc.boolean(), scalarText)
    .map(([width, array, element]) =>
      array
        ? `[${Array.from({ length: width }, () => element).join(',')}]`
        : `{${Array.from({ length: width }, (_, i) => `"k${i}":${element}`).join(',')}}`,
    );
}

/**
 * Text of every shape that has hurt JSON readers: nested up to `maxLevels` deep (whole, cut short, or
 * never closed), up to `maxWidth` wide, fast-check's own JSON, and any string at all.
 */
export function hostileJsonTextArb(options: { maxLevels: number; maxWidth: number }): fc.Arbitrary<string> {
  const nested = nestedJsonArb(options.maxLevels);
  return fc.oneof(
    nested.map((n) => n.text),
    fc.tuple(nested, fc.nat()).map(([n, at]) => n.text.slice(0, at % (n.text.length + 1))),
    fc.integer({ min: 1, max: options.maxLevels }).map((n) => '['.repeat(n)),
    wideJsonArb(options.maxWidth),
    fc.json({ depthSize: 'large' }),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}
