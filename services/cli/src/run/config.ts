import { httpHostCheck, TactfulEnv } from '@tactful/observability';

/** What `tactful run` reads: the whole environment of CONTRACT.md section 1. */
export const RunConfig = TactfulEnv.check(httpHostCheck);
