import path from 'node:path';
import type { Command } from 'commander';
import { loadTemplateWorkspace } from '@tactful/dispatcher';
import { formatProblem, loadJourneys, type Problem } from '@tactful/journeys';
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
        'events, unreachable states, states with no way out, any path that could send a template twice, and\n' +
        'the templates they send (missing, not parsing, a marketing one without {{ unsubscribe_url }})',
    )
    .option('--templates <dir>', 'the templates folder (default: TACTFUL_TEMPLATES, else ./templates)')
    .option('--json', 'print { ok, files, problems, warnings, inFlight } as JSON')
    .action(async (dir: string | undefined, options: { json?: boolean; templates?: string }) => {
      const config = commandConfig(TactfulEnv, process.env);
      const folder = dir ?? config.TACTFUL_JOURNEYS;
      const loaded = await loadJourneys(folder);
      const templates = await loadTemplateWorkspace(folder, options.templates ?? config.TACTFUL_TEMPLATES);
      // customers in flight on a version whose file is gone: a warning when Redis answers, nothing offline
      const inFlight = await checkInFlight({
        redisUrl: config.REDIS_URL,
        namespace: config.TACTFUL_NAMESPACE,
        dir: folder,
        loaded: loaded.journeys,
      });
      const warnings = [...loaded.warnings, ...(inFlight.checked ? inFlight.warnings : [])];
      const problems = [...loaded.problems, ...templates.problems.map(templateProblem)];
      const result = { ok: problems.length === 0, files: loaded.files, problems, warnings };
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

/** Pure. A template problem (`<file>: <reason>`) as a problem of the validation. */
function templateProblem(line: string): Problem {
  const at = line.indexOf(': ');
  return at < 0 ? { file: line, reason: 'refused' } : { file: line.slice(0, at), reason: line.slice(at + 2) };
}
