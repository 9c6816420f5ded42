// Composition root of the gateway when it runs alone; `tactful run` composes the same starter.
import { runService, serviceEntry } from '@tactful/runtime';
import { gatewayStarter } from './starter';

runService({ name: 'gateway', entry: serviceEntry(gatewayStarter, {}), env: process.env });
