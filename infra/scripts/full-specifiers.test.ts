import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths';
import { fullSpecifier } from './full-specifiers';

const from = (file: string) => path.join(repoRoot, file);

describe('fullSpecifier', () => {
  it('gives a relative import the path of its file, or of its folder index', () => {
    expect(fullSpecifier('./parse-event', from('packages/events/src/index.ts'))).toBe('./parse-event.js');
    expect(fullSpecifier('./data/email', from('packages/events/src/index.ts'))).toBe('./data/email.js');
    expect(fullSpecifier('../src/paths', from('infra/scripts/build.ts'))).toBe('../src/paths.js');
    expect(fullSpecifier('./src', from('packages/events/package.json'))).toBe('./src/index.js');
  });

  it('leaves alone what Node resolves already: full paths, packages, their exported subpaths, built-ins', () => {
    expect(fullSpecifier('./parse-event.js', from('packages/events/src/index.ts'))).toBe('./parse-event.js');
    expect(fullSpecifier('zod', from('packages/events/src/index.ts'))).toBe('zod');
    expect(fullSpecifier('@tactful/events/publisher', from('services/gateway/src/gateway.ts'))).toBe(
      '@tactful/events/publisher',
    );
    expect(fullSpecifier('node:fs/promises', from('infra/src/paths.ts'))).toBe('node:fs/promises');
  });

  it('gives a deep import into a package without an exports map the path of its file', () => {
    expect(fullSpecifier('nodemailer/lib/shared', from('services/dispatcher/src/smtp-sender.ts'))).toBe(
      'nodemailer/lib/shared/index.js',
    );
  });

  it('refuses a relative import it cannot resolve, so the build fails instead of node later', () => {
    expect(() => fullSpecifier('./no-such-module', from('packages/events/src/index.ts'))).toThrow(
      /cannot resolve "\.\/no-such-module"/,
    );
  });
});
