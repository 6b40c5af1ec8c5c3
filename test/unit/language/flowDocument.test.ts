import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../src/engine/model/compileFlow';
import { codeActionsAt } from '../../../src/language/codeActions';
import { completionsAt } from '../../../src/language/completion';
import { definitionAt } from '../../../src/language/definition';
import { hoverAt } from '../../../src/language/hover';
import { prepareRename, rename } from '../../../src/language/rename';
import { documentSymbols, nodeRanges } from '../../../src/language/symbols';
import { GREET_FLOW, LAST_RUN, documentOf, textOf } from './languageTestUtils';

describe('FlowDocument diagnostics', () => {
  it('are the compiler diagnostics when no secret names are known', () => {
    // ARRANGE
    const doc = documentOf(GREET_FLOW);
    // ACT
    const diagnostics = doc.diagnostics;
    // ASSERT
    expect(diagnostics).toEqual(compileFlow(GREET_FLOW, { file: doc.file }).diagnostics);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('warn at each secrets.NAME use whose secret is not set', () => {
    // ARRANGE: API_TOKEN is used in a header; only another secret is set.
    const doc = documentOf(GREET_FLOW, { knownSecrets: new Set(['OTHER']) });
    // ACT
    const missing = doc.diagnostics.filter((d) => d.code === 'missing-secret');
    // ASSERT
    expect(missing).toHaveLength(1);
    expect(missing[0].severity).toBe('warning');
    expect(missing[0].message).toBe("Secret 'API_TOKEN' is not set. Run `Weft: Set Secret` to set it.");
    expect(textOf(GREET_FLOW, missing[0].range!)).toBe('secrets.API_TOKEN');
    expect(missing[0].data).toEqual({ secret: 'API_TOKEN' });
  });

  it('say nothing about secrets that are set', () => {
    const doc = documentOf(GREET_FLOW, { knownSecrets: new Set(['API_TOKEN']) });
    expect(doc.diagnostics.filter((d) => d.code === 'missing-secret')).toEqual([]);
  });

  it('warn at an ai node whose API key secret (read by name) is not set', () => {
    // ARRANGE
    const text = `{
      "version": 1, "id": "ask",
      "nodes": [ { "id": "ask", "type": "ai", "config": { "model": "gpt-4o-mini", "prompt": "Hi" } } ]
    }`;
    // ACT
    const missing = documentOf(text, { knownSecrets: new Set() }).diagnostics.filter((d) => d.code === 'missing-secret');
    // ASSERT: at the node's type, since the default name is written nowhere.
    expect(missing.map((d) => d.message)).toEqual(["Secret 'OPENAI_API_KEY' is not set. Run `Weft: Set Secret` to set it."]);
    expect(textOf(text, missing[0].range!)).toBe('"ai"');
  });

  it('still report secrets in a flow that has compile errors', () => {
    const text = `{ "version": 1, "id": "x", "nodes": [ { "id": "a", "type": "htpp", "config": { "url": "{{ secrets.KEY }}" } } ] }`;
    const codes = documentOf(text, { knownSecrets: new Set() }).diagnostics.map((d) => d.code);
    expect(codes).toContain('unknown-node-type');
    expect(codes).toContain('missing-secret');
  });

  it('report invalid JSON with a position, and nothing more', () => {
    const doc = documentOf('{ "version": 1, "id": "x", "nodes": [ }', { knownSecrets: new Set() });
    expect(doc.diagnostics.length).toBeGreaterThan(0);
    expect(doc.diagnostics.every((d) => d.code === 'invalid-json' && d.range)).toBe(true);
  });
});

describe('every feature, while a flow is being typed', () => {
  it('answers without throwing on every prefix of a flow, at its end', () => {
    // ARRANGE: each prefix is the text as someone typing it from the top would have it.
    for (let length = 0; length <= GREET_FLOW.length; length += 5) {
      const text = GREET_FLOW.slice(0, length);
      const doc = documentOf(text, { lastRun: LAST_RUN, knownSecrets: new Set() });
      const end = doc.positionAt(text.length);
      // ACT + ASSERT: nothing throws, and the diagnostics have positions.
      expect(() => {
        completionsAt(doc, end);
        hoverAt(doc, end);
        definitionAt(doc, end);
        prepareRename(doc, end);
        rename(doc, end, 'renamed');
        codeActionsAt(doc, { start: { line: 0, character: 0 }, end });
        documentSymbols(doc);
        nodeRanges(doc);
      }, `prefix of ${length} characters`).not.toThrow();
      expect(doc.diagnostics.every((d) => d.range !== undefined)).toBe(true);
    }
  });

  it('answers at every position of a complete flow', () => {
    const doc = documentOf(GREET_FLOW, { lastRun: LAST_RUN, knownSecrets: new Set() });
    for (let offset = 0; offset <= GREET_FLOW.length; offset += 3) {
      const position = doc.positionAt(offset);
      expect(() => {
        completionsAt(doc, position);
        hoverAt(doc, position);
        definitionAt(doc, position);
        prepareRename(doc, position);
      }, `offset ${offset}`).not.toThrow();
    }
  });
});
