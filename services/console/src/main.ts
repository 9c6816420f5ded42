// Composition root of the ops console when it runs alone; `tactful run` composes the same starter.
import { runService, serviceEntry } from '@tactful/runtime';
import { consoleStarter } from './starter';

runService({ name: 'console', entry: serviceEntry(consoleStarter, {}), env: process.env });
