import fs from 'node:fs/promises';
import { createRequire } from 'node:module';

/** The page's scripts (ES modules importing each other by these names) and its style sheet. */
export const ASSET_FILES = [
  'console.js',
  'dom.js',
  'lag-chart.js',
  'report.js',
  'journey-view.js',
  'console.css',
] as const;

/**
 * Scripts of installed packages the page loads, served by the console itself (never from a CDN, so the
 * Content-Security-Policy allows only the console's own origin): Mermaid's browser build draws the
 * journeys' diagrams.
 */
export const PACKAGED_ASSETS: Readonly<Record<string, string>> = {
  'mermaid.min.js': 'mermaid/dist/mermaid.min.js',
};

/** The page and its assets, read once at start (they ship with the code, beside this file). */
export interface ConsoleAssets {
  readonly html: string;
  /** The login form, shown when a console token is set and the request carries neither it nor a session. */
  readonly login: string;
  /** By file name, as served under `/assets/`. */
  readonly files: ReadonlyMap<string, { type: string; body: string }>;
}

export async function loadConsoleAssets(): Promise<ConsoleAssets> {
  const read = (file: string) => fs.readFile(new URL(`./static/${file}`, import.meta.url), 'utf8');
  const files = new Map<string, { type: string; body: string }>();
  for (const file of ASSET_FILES) {
    const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    files.set(file, { type, body: await read(file) });
  }
  for (const [name, module] of Object.entries(PACKAGED_ASSETS))
    files.set(name, {
      type: 'text/javascript; charset=utf-8',
      body: await fs.readFile(createRequire(import.meta.url).resolve(module), 'utf8'),
    });
  return { html: await read('index.html'), login: await read('login.html'), files };
}
