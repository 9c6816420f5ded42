import path from 'node:path';
import type { Command } from 'commander';
import { formatProblem, loadJourneys } from '@tactful/journeys';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { checkInFlight } from '../journeys/in-flight-check';
import { diagramCommand } from './journeys-diagram';
import { impactCommand } from './journeys-impact';
import { reportCommand } from './journeys-report';
import { simulateCommand } from './journeys-simulate';
import { statusCommand } from './journeys-status';

export function journeysCommand(program: Command): void {
  const journeys = program.command('journeys').description('work with journey files');
  journeys
    .command('validate')
    .argument('[dir]', 'folder of journey files (default: TACTFUL_JOURNEYS, else ./journeys)')
    .description(
      'check journey files exactly as the services load them: schema, unknown actions, guards, delays and\n' +
        'events, unreachable states, states with no way out, and any path that could send a template twice',
    )
    .option('--json', 'print { ok, files, problems, warnings, inFlight } as JSON')
    .action(async (dir: string | undefined, options: { json?: boolean }) => {
      const config = commandConfig(TactfulEnv, process.env);
      const folder = dir ?? config.TACTFUL_JOURNEYS;
      const loaded = await loadJourneys(folder);
      // customers in flight on a version whose file is gone: a warning when Redis answers, nothing offline
      const inFlight = await checkInFlight({
        redisUrl: config.REDIS_URL,
        namespace: config.TACTFUL_NAMESPACE,
        dir: folder,
        loaded: loaded.journeys,
      });
      const warnings = [...loaded.warnings, ...(inFlight.checked ? inFlight.warnings : [])];
      const result = {
        ok: loaded.problems.length === 0,
        files: loaded.files,
        problems: loaded.problems,
        warnings,
      };
      if (options.json) {
        console.log(JSON.stringify({ ...result, inFlight: { checked: inFlight.checked } }, null, 2));
      } else {
        const failing = new Set(result.problems.map((p) => p.file));
        for (const file of result.files) {
          if (!failing.has(file)) console.log(`✓ ${path.relative(process.cwd(), file)}`);
        }
        for (const problem of result.problems) console.log(`✗ ${formatProblem(problem)}`);
        for (const warning of result.warnings) console.log(`! ${formatProblem(warning)}`);
        console.log(
          `${result.files.length} file(s), ${result.problems.length} problem(s), ${result.warnings.length} warning(s)` +
            (result.files.length === 0 ? ` — no *.yaml, *.yml or *.json in ${folder}` : ''),
        );
      }
      process.exitCode = result.ok && result.files.length > 0 ? 0 : 1;
    });
  statusCommand(journeys);
  diagramCommand(journeys);
  simulateCommand(journeys);
  impactCommand(journeys);
  reportCommand(journeys);
}
