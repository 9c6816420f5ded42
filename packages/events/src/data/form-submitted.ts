import { z } from 'zod';
import { Name } from '../fields';

/** `form.submitted`: someone sent a web form; the usual trigger of a journey. */
export const FormSubmittedData = z
  .looseObject({
    formId: Name.describe('Which form; journeys trigger on it (`where: { formId: ... }`).'),
    // The HTML5 rule, the one browsers apply to <input type="email">: an address the form accepted is
    // accepted here, instead of sending a real person's submission to the DLQ over a stricter regex.
    email: z.email({ pattern: z.regexes.html5Email }).max(254).describe('The address as typed in the form.'),
    name: z.string().optional().describe("The person's name as typed."),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .describe('The other form fields, by name; templates may quote them.'),
  })
  .describe('Someone sent a web form; the usual trigger of a journey.');
export type FormSubmittedData = z.infer<typeof FormSubmittedData>;
