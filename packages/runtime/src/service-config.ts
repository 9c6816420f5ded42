import { httpHostCheck, TactfulEnv } from '@tactful/observability';

/**
 * What a service process reads: the whole environment of CONTRACT.md section 1, the same for `tactful run`
 * and for each service's `main.ts`, so that one variable means one thing whichever way a service is run.
 */
export const ServiceConfig = TactfulEnv.check(httpHostCheck);
export type ServiceConfig = ReturnType<typeof ServiceConfig.parse>;
