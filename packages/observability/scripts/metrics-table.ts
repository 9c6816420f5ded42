// Prints the README's table of metrics from the registry; `--write` puts it into README.md between its
// markers. Run after adding or changing a metric in src/metrics.ts.
import fs from 'node:fs';
import path from 'node:path';
import { createMetrics } from '../src/metrics';
import { metricsTable, withMetricsTable } from '../src/metrics-table';

const table = metricsTable(createMetrics({ defaultMetrics: false }).registry);
if (process.argv.includes('--write')) {
  const readme = path.resolve(import.meta.dirname, '..', '..', '..', 'README.md');
  fs.writeFileSync(readme, withMetricsTable(fs.readFileSync(readme, 'utf8'), table));
  console.log(`${readme}: metrics table updated`);
} else {
  console.log(table);
}
