import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journeyDiagram, readDiagramSource } from '@tactful/journeys';
import { renderMermaidSvg } from './render-svg';

const EXAMPLES = resolve(import.meta.dirname, '../../../../journeys');

describe('renderMermaidSvg', () => {
  it('renders a journey diagram to SVG that holds its stage names, sends and waits', async () => {
    const file = resolve(EXAMPLES, 'whitepaper-nurture.yaml');
    const read = readDiagramSource(await readFile(file, 'utf8'), file);
    if ('error' in read) throw new Error(read.error);
    const svg = await renderMermaidSvg(journeyDiagram(read.journey));
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    for (const text of ['welcome', 'engaged', 'checkIn', 'done', 'halted', 'wp-checkin', 'after 3 days'])
      expect(svg).toContain(text);
  }, 60_000);

  it('refuses Mermaid source it cannot read, with Mermaid’s reason', async () => {
    await expect(renderMermaidSvg('stateDiagram-v2\n  a --> : ')).rejects.toThrow(
      /mermaid could not render the diagram: .+/,
    );
  }, 60_000);
});
