import path from 'node:path';
import type { Command } from 'commander';
import { formatProblem, validateJourneys } from '@tactful/journeys';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { diagramCommand } from './journeys-diagram';
import { impactCommand } from './journeys-impact';
import { simulateCommand } from './journeys-simulate';

export function journeysCommand(program: Command): void {
  const journeys = program.command('journeys').description('work with journey files');
  journeys
    .command('validate')
    .argument('[dir]', 'folder of journey files (default: TACTFUL_JOURNEYS, else ./journeys)')
    .description(
      'check journey files exactly as the services load them: schema, unknown actions, guards, delays and\n' +
        'events, unreachable states, states with no way out, and any path that could send a template twice',
    )
    .option('--json', 'print { ok, files, problems } as JSON')
    .action(async (dir: string | undefined, options: { json?: boolean }) => {
      const folder = dir ?? commandConfig(TactfulEnv, process.env).TACTFUL_JOURNEYS;
      const result = await validateJourneys(folder);
      if (options.json) {
        console.log(JSON.stringify(result, null, 2));
      } else {
        const failing = new Set(result.problems.map((p) => p.file));
        for (const file of result.files) {
          if (!failing.has(file)) console.log(`✓ ${path.relative(process.cwd(), file)}`);
        }
        for (const problem of result.problems) console.log(`✗ ${formatProblem(problem)}`);
        console.log(
          `${result.files.length} file(s), ${result.problems.length} problem(s)` +
            (result.files.length === 0 ? ` — no *.yaml, *.yml or *.json in ${folder}` : ''),
        );
      }
      process.exitCode = result.ok && result.files.length > 0 ? 0 : 1;
    });
  diagramCommand(journeys);
  simulateCommand(journeys);
  impactCommand(journeys);
}
