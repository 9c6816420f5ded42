import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { formatProblem, journeyDiagram, parseJourney, readDiagramSource } from '@tactful/journeys';
import { renderMermaidSvg } from '../journeys/render-svg';

const FORMATS = ['mermaid', 'svg'] as const;
type Format = (typeof FORMATS)[number];

/** `tactful journeys diagram FILE`: the machine as a Mermaid state diagram, or that diagram as SVG. */
export function diagramCommand(journeys: Command): void {
  journeys
    .command('diagram')
    .argument('<file>', 'a journey file (*.yaml, *.yml or *.json)')
    .summary('the journey as a state diagram: Mermaid text, or SVG')
    .description(
      'draw the journey: its stages with their sends, the events and waits (in days, hours…) that move a ' +
        'person on, guards, nested stages, final stages, and the exits of every stage (haltOn, opt-out, a ' +
        'bought product, the goal). Mermaid stateDiagram-v2 text by default (GitHub, GitLab and Notion draw ' +
        'it in a mermaid code block); --format svg renders it with Mermaid in headless Chromium. A file the ' +
        'services would refuse is still drawn; its problems go to stderr and the exit status is 1.',
    )
    .option('-f, --format <format>', `mermaid or svg`, 'mermaid')
    .option('-o, --output <file>', 'write the diagram to a file instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  tactful journeys diagram journeys/whitepaper-nurture.yaml\n' +
        '  tactful journeys diagram journeys/whitepaper-nurture.yaml --format svg -o whitepaper.svg',
    )
    .action(async (file: string, options: { format: string; output?: string }) => {
      if (!(FORMATS as readonly string[]).includes(options.format))
        journeys.error(`--format must be mermaid or svg, not ${options.format}`, { exitCode: 2 });
      const text = await fs.readFile(file, 'utf8');
      const read = readDiagramSource(text, file);
      if ('error' in read) {
        console.error(`${file}: ${read.error}`);
        process.exitCode = 1;
        return;
      }
      const mermaid = journeyDiagram(read.journey);
      const output = (options.format as Format) === 'svg' ? await renderMermaidSvg(mermaid) : mermaid;
      if (options.output === undefined) process.stdout.write(output);
      else await fs.writeFile(options.output, output);
      const { problems } = parseJourney(text, file);
      for (const problem of problems) console.error(`✗ ${formatProblem(problem)}`);
      if (problems.length > 0) {
        console.error(`the services would refuse ${file}: ${problems.length} problem(s)`);
        process.exitCode = 1;
      }
    });
}
