import { describe, expect, it } from 'vitest';
import { SANDBOX_CHILD_SOURCE } from '../../../../src/engine/sandbox/sandboxChildSource';
// @ts-expect-error -- a plain .mjs build script without types; its exports are used as documented there
import { buildSandboxChild } from '../../../../scripts/sandboxChildBuild.mjs';

// The sandbox child that runs is a string generated from sandboxChild.ts (the TypeScript that tsc checks). If the
// two drift, the security boundary that runs is not the one that was reviewed and checked.

describe('the sandbox child', () => {
  it('that the host spawns is the current build of sandboxChild.ts (run `node esbuild.mjs` after editing it)', async () => {
    // ACT
    const built = (await buildSandboxChild()) as string;

    // ASSERT
    expect(SANDBOX_CHILD_SOURCE).toBe(built.replace(/\n$/, ''));
  });

  it('runs in strict mode and bundles nothing but node:vm', () => {
    // ASSERT
    expect(SANDBOX_CHILD_SOURCE.startsWith('"use strict";')).toBe(true);
    expect([...SANDBOX_CHILD_SOURCE.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['node:vm']);
  });
});
