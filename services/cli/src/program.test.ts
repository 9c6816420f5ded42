import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { tactfulArgv } from '@tactful/testing';
import { createProgram, exitCodeOf, USAGE_EXIT } from './program';

const quiet = { writeOut: () => undefined, writeErr: () => undefined };

/** Every command a user can run, as its words (`['topics', 'create']`), found by walking the program. */
function leaves(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  const subcommands = command.commands.filter((c) => c.name() !== 'help');
  if (subcommands.length === 0) return [{ path, command }];
  return subcommands.flatMap((c) => leaves(c, [...path, c.name()]));
}

/** The exit status `tactful <args>` ends with when parsing fails before any command runs. */
async function statusOf(args: string[]): Promise<number | undefined> {
  try {
    await createProgram(quiet).parseAsync(args, { from: 'user' });
  } catch (err) {
    return exitCodeOf(err);
  }
  return undefined;
}

const commands = leaves(createProgram(quiet));

describe('usage errors exit 2, on every command', () => {
  it('finds the commands of the contract', () => {
    const names = commands.map((c) => c.path.join(' '));
    expect(names).toEqual(
      expect.arrayContaining([
        'run',
        'topics create',
        'doctor',
        'publish',
        'journeys validate',
        'explain',
        'lag',
        'store migrate',
        'templates preview',
        'templates send-test',
      ]),
    );
  });

  it.each(commands.map((c) => [c.path.join(' '), c.path] as const))(
    'tactful %s --no-such-option',
    async (_name, path) => {
      expect(await statusOf([...path, '--no-such-option'])).toBe(USAGE_EXIT);
    },
  );

  const required = commands.filter((c) => c.command.registeredArguments.some((a) => a.required));
  it.each(required.map((c) => [c.path.join(' '), c.path] as const))(
    'tactful %s without its required argument',
    async (_name, path) => {
      expect(await statusOf([...path])).toBe(USAGE_EXIT);
    },
  );

  const fixedArity = commands.filter((c) => !c.command.registeredArguments.some((a) => a.variadic));
  it.each(fixedArity.map((c) => [c.path.join(' '), c.path, c.command.registeredArguments.length] as const))(
    'tactful %s with one argument too many',
    async (_name, path, arity) => {
      const args = Array.from({ length: arity + 1 }, (_, i) => `arg${i}`);
      expect(await statusOf([...path, ...args])).toBe(USAGE_EXIT);
    },
  );

  it('an unknown command, and a command group without its subcommand', async () => {
    expect(await statusOf(['no-such-command'])).toBe(USAGE_EXIT);
    for (const group of createProgram(quiet).commands.filter((c) => c.commands.length > 0)) {
      expect(await statusOf([group.name()])).toBe(USAGE_EXIT);
      expect(await statusOf([group.name(), 'no-such-command'])).toBe(USAGE_EXIT);
    }
  });

  it('an invalid option value, refused by the command before it does anything', async () => {
    expect(await statusOf(['publish', 'events.ndjson', '--batch-size', '0'])).toBe(USAGE_EXIT);
    expect(await statusOf(['lag', '--interval', 'soon'])).toBe(USAGE_EXIT);
  });

  it('--help and --version are not errors', async () => {
    expect(await statusOf(['--help'])).toBe(0);
    expect(await statusOf(['--version'])).toBe(0);
  });
});

describe('the tactful process', () => {
  const run = promisify(execFile);

  it('prints its version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    const { stdout } = await run(process.execPath, tactfulArgv(['--version']));
    expect(stdout.trim()).toBe(version);
  });

  it('exits 2 on a usage error, saying what is wrong', async () => {
    const failed = await run(process.execPath, tactfulArgv(['lag', '--no-such-option'])).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(USAGE_EXIT);
    expect(failed?.stderr).toContain("unknown option '--no-such-option'");
  });
});
