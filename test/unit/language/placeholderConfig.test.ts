// One placeholder generator, read from a node type's zod config schema, for the canvas palette (a new node) and
// the quick fix that adds a missing key. A node dropped from the palette must be valid as it lands: before, the
// palette's `switch` got `"cases": []`, which its own schema rejects.

import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../../src/engine/nodes/builtins';
import { starterConfig } from '../../../src/language/canvasEdits';

describe('starterConfig', () => {
  const registry = createDefaultRegistry();

  it.each(registry.list().map((type) => [type.type, type] as const))('gives a %s node a config its own schema accepts', (_, type) => {
    // ACT
    const config = starterConfig(type.configSchema);
    // ASSERT
    const result = type.configSchema.safeParse(config);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('gives a switch one case to fill in, not an empty list', () => {
    const config = starterConfig(registry.get('switch')!.configSchema) as { cases: unknown[] };
    expect(config.cases).toHaveLength(1);
  });
});
