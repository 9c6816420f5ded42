import { z } from 'zod';
import { Name } from '../fields';

/** `page.viewed`: a tracked page was seen by a known customer. */
export const PageViewedData = z
  .looseObject({
    url: z
      .url({ protocol: /^https?$/ })
      .max(8192)
      .meta({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?:' })
      .describe('The absolute http(s) URL of the page.'),
    sku: Name.optional().describe('The product shown on the page, if any.'),
  })
  .describe('A tracked page was seen by a known customer.');
export type PageViewedData = z.infer<typeof PageViewedData>;
