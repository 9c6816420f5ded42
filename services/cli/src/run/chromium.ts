import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// Debian's Chromium driven by playwright-core, for the console's browser test and for
// `journeys diagram --format svg`. Playwright's own browser download does not work on the machines this
// project runs on, so the browser is a system package; a missing one fails
// the test with the command that installs it, never skips it.

export const CHROMIUM = '/usr/bin/chromium';
export const INSTALL_CHROMIUM = 'apt-get update && apt-get install -y chromium';

// without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
// machine with a closed network refuses many times a second
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless Chromium on a new, empty profile; `close` ends it and removes the profile. */
export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium is not installed (${executablePath} is missing): install it with \`${INSTALL_CHROMIUM}\``,
    );
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await fs.rm(profile, { recursive: true, force: true });
    },
  };
}
