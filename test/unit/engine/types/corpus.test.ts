// The samples and the spec's examples are correct flows: the type checks must say nothing about them (no
// false alarm is the promise that makes an error worth reading).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFlowModule } from '../../../../src/engine/load/loadFlowModule';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import { corpusFiles, REPO_ROOT as ROOT } from '../../../support/flowCorpus';

const TYPE_CODES = new Set(['unknown-property', 'type-mismatch', 'maybe-skipped']);

describe('type checks on the corpus', () => {
  const files = corpusFiles();

  it('has flows to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s: no unknown-property, type-mismatch or maybe-skipped', (_name, file) => {
    const result = compileFlow(readFileSync(file, 'utf8'), { file });
    const found = result.diagnostics.filter((d) => TYPE_CODES.has(d.code)).map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.character} ${d.message}`);
    expect(found).toEqual([]);
  });

  it.each(['samples/score-lead.flow.ts', 'test/fixtures/spec-examples/score-lead.flow.ts'])('%s (a .flow.ts): no type diagnostics either', (relative) => {
    const file = `${ROOT}/${relative}`;
    const loaded = loadFlowModule(file);
    expect(loaded.definition).toBeDefined();
    const result = compileFlow(loaded.definition as object, { file, locate: loaded.locate });
    expect(result.diagnostics.filter((d) => TYPE_CODES.has(d.code)).map((d) => d.message)).toEqual([]);
    expect(result.flow).toBeDefined();
  });
});
