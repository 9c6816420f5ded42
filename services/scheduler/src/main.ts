// Composition root of the timer service (scheduler) when it runs alone; `tactful run` composes the same starter.
import { runService, serviceEntry } from '@tactful/runtime';
import { schedulerStarter } from './starter';

runService({ name: 'scheduler', entry: serviceEntry(schedulerStarter, {}), env: process.env });
