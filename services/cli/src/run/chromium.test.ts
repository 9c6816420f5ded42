import { describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';

describe('launchChromium', () => {
  it('fails, with the command that installs it, when the browser is missing', async () => {
    await expect(launchChromium('/nowhere/chromium')).rejects.toThrow(
      'Chromium is not installed (/nowhere/chromium is missing): install it with `apt-get update && apt-get install -y chromium`',
    );
  });
});
