// Composition root of the halt sentinel when it runs alone; `tactful run` composes the same starter.
import { runService, serviceEntry } from '@tactful/runtime';
import { sentinelStarter } from './starter';

runService({ name: 'sentinel', entry: serviceEntry(sentinelStarter, {}), env: process.env });
