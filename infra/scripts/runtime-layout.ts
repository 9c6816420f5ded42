// Writes the runtime layout of the image to a folder (the Dockerfile's build stage runs it):
//   npx tsx infra/scripts/runtime-layout.ts /app
import { writeRuntimeLayout } from '../src/runtime-layout';

const [dest] = process.argv.slice(2);
if (dest === undefined) {
  console.error('usage: runtime-layout.ts DEST');
  process.exit(2);
}
writeRuntimeLayout(dest);
console.log(`runtime layout written to ${dest}`);
