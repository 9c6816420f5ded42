import { basename } from 'node:path';
import type { Journey } from '@tactful/journeys';
import { templatesOf } from '@tactful/journeys';
import type { TemplateUses } from './templates';

/**
 * Pure. Who sends each template: the journey files (by file name) and the class of their journeys. A
 * template sent by marketing and transactional journeys alike is refused when the journeys load
 * (`checkTemplateClasses` of @tactful/journeys); here marketing wins, the stricter rule.
 */
export function templateUsesOf(journeys: readonly { file: string; journey: Journey }[]): TemplateUses {
  const uses = new Map<string, { files: string[]; class: Journey['class'] }>();
  for (const { file, journey } of journeys)
    for (const template of templatesOf(journey)) {
      const use = uses.get(template) ?? { files: [], class: journey.class };
      use.files.push(basename(file));
      if (journey.class === 'marketing') use.class = 'marketing';
      uses.set(template, use);
    }
  return uses;
}
