import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEvents, type InputFormat, type InputRecord } from './read-events';

async function read(chunks: (string | Buffer)[]): Promise<{ format?: InputFormat; records: InputRecord[] }> {
  let format: InputFormat | undefined;
  const records: InputRecord[] = [];
  for await (const record of readEvents(
    (async function* () {
      yield* chunks;
    })(),
    (f) => {
      format = f;
    },
  )) {
    records.push(record);
  }
  return { ...(format === undefined ? {} : { format }), records };
}

describe('readEvents', () => {
  it('streams NDJSON line by line, skipping blank lines, numbering lines from 1', async () => {
    const { format, records } = await read(['{"id":"a"}\r\n\n  \n{"id":', '"b"}\nnot json\n{"id":"c"}']);
    expect(format).toBe('ndjson');
    expect(
      records.map(({ index, line, value, rejection }) => ({ index, line, value, reason: rejection?.reason })),
    ).toEqual([
      { index: 0, line: 1, value: { id: 'a' }, reason: undefined },
      { index: 1, line: 4, value: { id: 'b' }, reason: undefined },
      { index: 2, line: 5, value: undefined, reason: 'invalid_json' },
      { index: 3, line: 6, value: { id: 'c' }, reason: undefined },
    ]);
  });

  it('keeps a character split across chunks whole', async () => {
    const bytes = Buffer.from('{"name":"Zoë"}\n');
    const at = bytes.indexOf(0xc3) + 1;
    const { records } = await read([bytes.subarray(0, at), bytes.subarray(at)]);
    expect(records[0]?.value).toEqual({ name: 'Zoë' });
    expect(records[0]?.bytesRead).toBe(bytes.byteLength);
  });

  it('reads a JSON array (after a byte order mark and white space) as indexed events', async () => {
    const { format, records } = await read(['\uFEFF \n [{"id":"a"},', ' 42, {"id":"b"}]\n']);
    expect(format).toBe('json-array');
    expect(records.map((r) => [r.index, r.line, r.value])).toEqual([
      [0, undefined, { id: 'a' }],
      [1, undefined, 42],
      [2, undefined, { id: 'b' }],
    ]);
  });

  it('fails as a whole on an array that is not JSON, without quoting it', async () => {
    await expect(read(['[{"email":"ann@example.com"'])).rejects.toThrow(
      /^the input is not a valid JSON array: not valid JSON/,
    );
    await expect(read(['[{"email":"ann@example.com"'])).rejects.not.toThrow(/ann@example/);
  });

  it('gives nothing for an empty input', async () => {
    expect(await read(['', '  \n'])).toEqual({ records: [] });
  });
});

describe('readEvents, for every way the input is cut into chunks', () => {
  it('reads the same records', async () => {
    const lines = ['{"id":"a","name":"Zoë"}', '', 'not json', '{"id":"b","note":"日本"}', '  ', '[1]'];
    const whole = Buffer.from(lines.join('\n') + '\n');
    const expected = (await read([whole])).records.map(({ bytesRead: _b, ...r }) => r);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: whole.byteLength - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [0, ...[...cuts].sort((a, b) => a - b), whole.byteLength];
          const chunks = points.slice(1).map((end, i) => whole.subarray(points[i], end));
          const got = (await read(chunks)).records.map(({ bytesRead: _b, ...r }) => r);
          expect(got).toEqual(expected);
        },
      ),
    );
  });
});
