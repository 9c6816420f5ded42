import fs from 'node:fs/promises';

/** The page's scripts (ES modules importing each other by these names) and its style sheet. */
export const ASSET_FILES = ['console.js', 'dom.js', 'lag-chart.js', 'report.js', 'console.css'] as const;

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
  return { html: await read('index.html'), login: await read('login.html'), files };
}
