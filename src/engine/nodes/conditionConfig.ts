import { z } from 'zod';

/** A condition as written: a JSON Logic object, an expression string (braces optional) or a boolean. */
export const conditionSchema = z
  .union([z.string().min(1), z.boolean(), z.record(z.string(), z.unknown())])
  .describe('A JSON Logic object, or an expression such as "{{ input.total > 100 }}".')
  .meta({ examples: ['{{ input.total > 100 }}'] });
