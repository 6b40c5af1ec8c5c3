// Shared by the language service tests: documents from JSONC fixtures with the cursor marked `|`, edits applied
// to text, and a recorded run to hover and complete with.

import { expect } from 'vitest';
import type { Position } from '../../../src/engine/model/diagnostics';
import { LineIndex } from '../../../src/engine/model/lineIndex';
import { createDefaultRegistry } from '../../../src/engine/nodes/builtins';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import { FlowDocument } from '../../../src/language/flowDocument';
import type { LanguageContext } from '../../../src/language/flowDocument';
import type { TextEdit } from '../../../src/language/textEdit';

export const FILE = '/work/flows/greet.flow.json';

/** The text with its one `|` taken out, and the position where it was. */
export function at(textWithCursor: string): { text: string; position: Position; offset: number } {
  const offset = textWithCursor.indexOf('|');
  expect(offset, 'the fixture marks the cursor with |').toBeGreaterThanOrEqual(0);
  expect(textWithCursor.indexOf('|', offset + 1), 'the fixture has one |').toBe(-1);
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return { text, position: new LineIndex(text).positionAt(offset), offset };
}

export function documentOf(text: string, context: Partial<LanguageContext> = {}): FlowDocument {
  return FlowDocument.create(text, FILE, { registry: createDefaultRegistry(), now: () => NOW, ...context });
}

/** A document and the cursor position from a fixture marked with `|`. */
export function documentAt(textWithCursor: string, context: Partial<LanguageContext> = {}): { doc: FlowDocument; position: Position } {
  const { text, position } = at(textWithCursor);
  return { doc: documentOf(text, context), position };
}

/** Applies non-overlapping edits, as an editor does. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

/** The text a range covers. */
export function textOf(text: string, range: { start: Position; end: Position }): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

export const NOW = Date.parse('2026-03-01T10:05:00.000Z');

/**
 * A flow whose diagram is
 *
 *   fetch -> check -(true)-> greet
 *   other
 */
export const GREET_FLOW = `{
  // Greets a customer by name.
  "version": 1,
  "id": "greet",
  "inputs": {
    "type": "object",
    "properties": {
      "customerId": { "type": "string", "description": "Who to greet" },
      "address": { "type": "object", "properties": { "city": { "type": "string" } } }
    }
  },
  "variables": { "greeting": "Hello", "limit": 3 },
  "nodes": [
    /* the customer, from the CRM */
    { "id": "fetch", "type": "http", "name": "Fetch the customer", "config": { "url": "https://crm.example.test/customers/{{ trigger.customerId }}", "headers": { "authorization": "Bearer {{ secrets.API_TOKEN }}" } } },
    { "id": "check", "type": "if", "config": { "condition": { "==": [{ "var": "nodes.fetch.status" }, 200] } } },
    { "id": "greet", "type": "transform", "config": { "output": { "text": "{{ variables.greeting }}, {{ nodes.fetch.body.name }}", "limit": "{{ variables.limit }}" } } },
    { "id": "other", "type": "log", "config": { "message": "side" } }
  ],
  "edges": [
    { "from": "fetch", "to": "check" },
    { "from": "check", "to": "greet", "port": "true" } // only a 200 greets
  ],
  "output": "{{ nodes.greet }}",
  "tests": [
    {
      "name": "greets Ada",
      "input": { "customerId": "c1" },
      "mocks": { "fetch": { "output": { "status": 200, "body": { "name": "Ada" } } } },
      "expect": { "nodes": { "greet": { "status": "completed" } } }
    }
  ],
  "layout": { "fetch": { "x": 0, "y": 0 } }
}
`;

export const LAST_RUN: RunRecord = {
  id: 'run-42',
  flowId: 'greet',
  flowHash: 'abc',
  status: 'completed',
  mode: 'run',
  trigger: { type: 'manual' },
  input: { customerId: 'c1', address: { city: 'Paris', zip: '75001' } },
  output: { text: 'Hello, Ada' },
  startedAt: '2026-03-01T10:00:00.000Z',
  finishedAt: '2026-03-01T10:00:01.000Z',
  durationMs: 1000,
  nodes: {
    fetch: {
      status: 'completed',
      attempts: 1,
      durationMs: 120,
      input: { customerId: 'c1' },
      output: { status: 200, headers: { 'content-type': 'application/json' }, body: { name: 'Ada', plan: 'pro', address: { city: 'Paris' } } },
    },
    check: { status: 'completed', attempts: 1, durationMs: 1, input: { status: 200 }, output: { status: 200 } },
    greet: { status: 'completed', attempts: 1, durationMs: 2, input: { status: 200 }, output: { text: 'Hello, Ada', limit: 3 } },
    other: { status: 'completed', attempts: 1, durationMs: 1, output: {} },
  },
};
