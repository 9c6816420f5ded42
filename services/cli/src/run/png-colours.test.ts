import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { summarisePng } from './png-colours';

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  // the reader does not check CRCs, so any four bytes do
  return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
}

/** A 3×2 RGB PNG whose rows use the given filter types on the given (already filtered) bytes. */
function png(rows: { filter: number; bytes: number[] }[]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(3, 0);
  header.writeUInt32BE(rows.length, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.concat(rows.map((r) => Buffer.from([r.filter, ...r.bytes])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('summarisePng', () => {
  it('counts one colour in a blank image, whatever the filters', () => {
    const white = [255, 255, 255, 255, 255, 255, 255, 255, 255];
    const sub = [255, 255, 255, 0, 0, 0, 0, 0, 0];
    const up = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(
      summarisePng(
        png([
          { filter: 1, bytes: sub },
          { filter: 2, bytes: up },
        ]),
      ),
    ).toEqual({
      width: 3,
      height: 2,
      colours: 1,
    });
    expect(
      summarisePng(
        png([
          { filter: 0, bytes: white },
          { filter: 4, bytes: up },
        ]),
      ).colours,
    ).toBe(1);
  });

  it('counts the distinct colours of an image with content', () => {
    const row = [255, 0, 0, 0, 255, 0, 0, 0, 255];
    // Sub: each byte is stored as the difference to the pixel on its left
    const subRow = [10, 10, 10, 10, 10, 10, 10, 10, 10];
    expect(
      summarisePng(
        png([
          { filter: 0, bytes: row },
          { filter: 1, bytes: subRow },
        ]),
      ).colours,
    ).toBe(6);
  });

  it('refuses what is not a PNG', () => {
    expect(() => summarisePng(Buffer.from('GIF89a'))).toThrow(/not a PNG/);
  });
});
