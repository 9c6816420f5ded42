// Composition root of the dispatcher when it runs alone; `tactful run` composes the same starter.
import { runService, serviceEntry } from '@tactful/runtime';
import { dispatcherStarter } from './starter';

runService({ name: 'dispatcher', entry: serviceEntry(dispatcherStarter, {}), env: process.env });
