import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFlowJsonSchema } from '../../../src/engine/model/generateJsonSchema';
import { createDefaultRegistry } from '../../../src/engine/nodes/builtins';

describe('language/flow.schema.json', () => {
  it('is what the node registry generates today (regenerate with `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../../language/flow.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generateFlowJsonSchema(createDefaultRegistry()))));
  });
});
