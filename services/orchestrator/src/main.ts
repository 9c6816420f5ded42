// Composition root of the orchestrator when it runs alone; `tactful run` composes the same starter.
import { runService, serviceEntry } from '@tactful/runtime';
import { orchestratorStarter } from './starter';

runService({ name: 'orchestrator', entry: serviceEntry(orchestratorStarter, {}), env: process.env });
