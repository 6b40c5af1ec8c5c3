// A subflow node's output type is its child flow's output type: read from the child file (relative to the parent),
// cached by file and kept fresh when the child or its own subflows change, unknown (silent) when it cannot be known.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import { clearSubflowOutputTypes } from '../../../../src/engine/types/subflowOutputType';

const TYPE_CODES = new Set(['unknown-property', 'type-mismatch', 'maybe-skipped', 'internal']);

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-subflow-types-'));
  clearSubflowOutputTypes();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a flow file and moves its modification time on, so a rewrite within the same clock tick is still seen. */
function writeFlow(name: string, flow: object): string {
  const file = join(dir, name);
  let before: number | undefined;
  try {
    before = statSync(file).mtimeMs;
  } catch {
    before = undefined;
  }
  writeFileSync(file, JSON.stringify({ version: 1, id: name.replace(/\W/g, '-'), ...flow }, null, 2));
  if (before !== undefined) {
    const later = new Date(before + 2000);
    utimesSync(file, later, later);
  }
  return file;
}

/** A flow with one transform whose output is `output`. */
function transformFlow(output: unknown): object {
  return { nodes: [{ id: 'shape', type: 'transform', config: { output } }], edges: [] };
}

/** A parent that calls `child` and reads `read` (a template) from its output. */
function parentFlow(child: string, read: string): object {
  return {
    nodes: [
      { id: 'call', type: 'subflow', config: { flow: child } },
      { id: 'use', type: 'transform', config: { output: read } },
    ],
    edges: [{ from: 'call', to: 'use' }],
  };
}

/** Type diagnostics of the flow file as [code, covered text, suggestion]. */
function typeProblems(file: string, text = readBack(file)): [string, string, unknown][] {
  return compileFlow(text, { file })
    .diagnostics.filter((d) => TYPE_CODES.has(d.code))
    .map((d) => [d.code, d.offset === undefined ? '' : text.slice(d.offset, d.offset + (d.length ?? 0)), d.data?.suggestion]);
}

function readBack(file: string): string {
  return readFileSync(file, 'utf8');
}

describe('subflow output types', () => {
  it("types a subflow node's output from the child flow's output (its sink, or its output template)", () => {
    writeFlow('child.flow.json', transformFlow({ name: '{{ trigger.name }}', total: 3 }));
    const parent = writeFlow('parent.flow.json', parentFlow('./child.flow.json', '{{ nodes.call.nmae }} {{ nodes.call.total * 2 }} {{ nodes.call.name }}'));
    expect(typeProblems(parent)).toEqual([['unknown-property', 'nmae', 'name']]);

    writeFlow('templated.flow.json', { ...transformFlow({ a: 1 }), output: { answer: '{{ nodes.shape.a }}' } });
    const second = writeFlow('second.flow.json', parentFlow('templated.flow.json', '{{ nodes.call.answer }} {{ nodes.call.a }}'));
    expect(typeProblems(second)).toEqual([['unknown-property', 'a', undefined]]);
  });

  it('follows a path relative to the parent file, through subflows of subflows', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    writeFlow('sub/leaf.flow.json', transformFlow({ id: 'x' }));
    writeFlow('sub/middle.flow.json', { nodes: [{ id: 'inner', type: 'subflow', config: { flow: './leaf.flow.json' } }], edges: [] });
    const parent = writeFlow('parent.flow.json', parentFlow('sub/middle.flow.json', '{{ nodes.call.idd }}'));
    expect(typeProblems(parent)).toEqual([['unknown-property', 'idd', 'id']]);
  });

  it('sees a change to the child, or to a file the child calls, on the next compile (the cache is by file and time)', () => {
    writeFlow('leaf.flow.json', transformFlow({ first: 1 }));
    writeFlow('child.flow.json', { nodes: [{ id: 'inner', type: 'subflow', config: { flow: 'leaf.flow.json' } }], edges: [] });
    const parent = writeFlow('parent.flow.json', parentFlow('child.flow.json', '{{ nodes.call.second }}'));
    expect(typeProblems(parent).map((p) => p[0])).toEqual(['unknown-property']);

    writeFlow('leaf.flow.json', transformFlow({ first: 1, second: 2 }));
    expect(typeProblems(parent)).toEqual([]);

    writeFlow('child.flow.json', transformFlow({ other: 1 }));
    expect(typeProblems(parent).map((p) => p[0])).toEqual(['unknown-property']);
  });

  it('notices a missing grandchild being created', () => {
    writeFlow('child.flow.json', { nodes: [{ id: 'inner', type: 'subflow', config: { flow: 'later.flow.json' } }], edges: [] });
    const parent = writeFlow('parent.flow.json', parentFlow('child.flow.json', '{{ nodes.call.nope }}'));
    expect(typeProblems(parent)).toEqual([]);
    writeFlow('later.flow.json', transformFlow({ yes: true }));
    expect(typeProblems(parent).map((p) => p[0])).toEqual(['unknown-property']);
  });

  it('stays silent where the child cannot be known: missing, a .flow.ts, a templated path, not compiling, or a cycle', () => {
    writeFlow('broken.flow.json', { nodes: [{ id: 'x', type: 'no-such-type', config: {} }], edges: [] });
    writeFileSync(join(dir, 'code.flow.ts'), 'export default {}');
    for (const child of ['missing.flow.json', 'code.flow.ts', '{{ trigger.which }}', 'broken.flow.json']) {
      const parent = writeFlow('parent.flow.json', parentFlow(child, '{{ nodes.call.anything.at.all }}'));
      expect(typeProblems(parent), child).toEqual([]);
    }

    // a -> b -> a: typed as far as it goes, unknown where the chain comes back, and never a hang or a crash.
    writeFlow('a.flow.json', parentFlow('b.flow.json', '{{ nodes.call.whatever }}'));
    const b = writeFlow('b.flow.json', parentFlow('a.flow.json', '{{ nodes.call.whatever }}'));
    const self = writeFlow('self.flow.json', parentFlow('self.flow.json', '{{ nodes.call.whatever }}'));
    expect(typeProblems(b)).toEqual([]);
    expect(typeProblems(self)).toEqual([]);
  });

  it('is unknown for a flow compiled without a file (nothing to resolve the path against)', () => {
    writeFlow('child.flow.json', transformFlow({ name: 'x' }));
    const text = JSON.stringify({ version: 1, id: 'p', ...parentFlow(join(dir, 'child.flow.json'), '{{ nodes.call.nmae }}') });
    expect(compileFlow(text).diagnostics.filter((d) => TYPE_CODES.has(d.code))).toEqual([]);
  });
});
