import { createRequire } from 'node:module';
import { TactfulError } from '@tactful/events';
import { launchChromium } from '../run/chromium';

// Mermaid lays a diagram out with the browser's text measurement, so it is rendered where it was made to
// run: its own bundle in headless Chromium (Debian's, through playwright-core), with no network.

const MERMAID_BUNDLE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

interface MermaidGlobal {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

/** Renders Mermaid source to an SVG document; a syntax error is a `TactfulError('internal')`. */
export async function renderMermaidSvg(source: string, chromiumPath?: string): Promise<string> {
  const browser = await launchChromium(chromiumPath);
  try {
    const page = await browser.context.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    const result = await page.evaluate(async (text: string) => {
      const mermaid = (globalThis as unknown as { mermaid: MermaidGlobal }).mermaid;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
      try {
        return { svg: (await mermaid.render('journey', text)).svg };
      } catch (err) {
        return { error: String((err as Error).message ?? err) };
      }
    }, source);
    if ('error' in result)
      throw new TactfulError('internal', `mermaid could not render the diagram: ${result.error}`);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${result.svg}\n`;
  } finally {
    await browser.close();
  }
}
