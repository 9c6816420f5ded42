import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuditRecord } from '@tactful/events';
import { tactfulArgv } from '@tactful/testing';

// The authoring commands as a person runs them: the bin, its output streams and its exit status. Each
// test starts the bin (tsx compiling the sources), all at once: a busy machine needs minutes, not seconds.
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');

async function tactful(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, tactfulArgv(args), {
      cwd: ROOT,
      env: { ...process.env, TACTFUL_POLICY: path.join(ROOT, 'policy.yaml') },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const failed = err as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe.concurrent('tactful journeys diagram, simulate', () => {
  it('prints the Mermaid diagram of a journey', async () => {
    const { stdout, code } = await tactful('journeys', 'diagram', 'journeys/whitepaper-nurture.yaml');
    expect(code).toBe(0);
    expect(stdout.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(stdout).toContain('welcome --> checkIn : after 3 days');
  }, 120_000);

  it('still draws a file the services would refuse, lists its problems on stderr and exits 1', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-diagram-'));
    const file = path.join(dir, 'draft.yaml');
    await fs.writeFile(
      file,
      (await fs.readFile(path.join(ROOT, 'journeys/whitepaper-nurture.yaml'), 'utf8')).replace(
        'machine:',
        'goal: { event: purchase.completed, within: P14D }\nowner: marketing\nmachine:',
      ),
    );
    const { stdout, stderr, code } = await tactful('journeys', 'diagram', file);
    expect(code).toBe(1);
    expect(stdout).toContain('tactful_journey --> tactful_goal : goal purchase.completed within 2 weeks');
    expect(stderr).toContain('unknown field "owner"');
  }, 120_000);

  it('refuses an unknown --format with exit status 2', async () => {
    const { code, stderr } = await tactful(
      'journeys',
      'diagram',
      'journeys/newsletter.yaml',
      '--format',
      'png',
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--format must be mermaid or svg, not png');
  }, 120_000);

  it('prints the simulation as a JSON array of audit records on the virtual clock', async () => {
    const { stdout, code } = await tactful(
      'journeys',
      'simulate',
      'journeys/newsletter.yaml',
      '--timeline',
      'docs/timelines/newsletter-opt-out.yaml',
      '--json',
    );
    expect(code).toBe(0);
    const records = (JSON.parse(stdout) as unknown[]).map((r) => AuditRecord.parse(r));
    expect(records.map((r) => [r.at, r.decision, r.template ?? r.journey])).toEqual([
      ['2026-11-23T10:00:00.000Z', 'entered', 'newsletter'],
      ['2026-11-23T10:00:00.000Z', 'sent', 'newsletter-2026-11'],
      ['2026-11-25T10:00:00.000Z', 'halted', 'newsletter'],
    ]);
  }, 120_000);

  it('simulates a new version deployed while the person is in the old one: moved as its migrate says, nothing twice', async () => {
    const { stdout, code } = await tactful(
      'journeys',
      'simulate',
      'docs/drafts/whitepaper-nurture-v4.yaml',
      '--timeline',
      'docs/timelines/whitepaper-no-reply.yaml',
      '--deploy-at',
      'P1D',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('+1d         ⇪ whitepaper-nurture v4 beside v3 deployed');
    expect(stdout).toContain('⏱ whitepaper-nurture v3/welcome: the wait of 3 days ends');
    expect(stdout).toMatch(
      /→ entered {4}whitepaper-nurture\/welcome +moved from version 3 \(stage welcome\) to version 4 \(stage welcome\)/,
    );
    expect(stdout).toContain('sent: wp-welcome, wp-followup\n');
    expect(stdout).toContain('left whitepaper-nurture v4: completed');
    const missing = await tactful(
      'journeys',
      'simulate',
      'docs/drafts/whitepaper-nurture-v4.yaml',
      '-t',
      'docs/timelines/whitepaper-no-reply.yaml',
      '--deploy-at',
      'P1D',
      '--with-journeys',
      'docs/drafts',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'no earlier version of whitepaper-nurture (version 3, which its migrate names) in docs/drafts; name one with --previous FILE',
    );
  }, 120_000);

  it('refuses a timeline with every problem listed, and exits 1', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-timeline-'));
    const file = path.join(dir, 'bad.yaml');
    await fs.writeFile(file, 'events:\n  - { at: P1M, type: form.submitted, data: {} }\n');
    const { stderr, code } = await tactful('journeys', 'simulate', 'journeys/newsletter.yaml', '-t', file);
    expect(code).toBe(1);
    expect(stderr).toContain('events[0].at: "P1M": months and years have no fixed length');
  }, 120_000);
});
