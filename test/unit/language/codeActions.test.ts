import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/engine/model/diagnostics';
import { codeActionsAt, codeActionsFor } from '../../../src/language/codeActions';
import type { CodeAction } from '../../../src/language/codeActions';
import { GREET_FLOW, applyEdits, documentOf } from './languageTestUtils';

function diagnosticOf(text: string, code: Diagnostic['code']): Diagnostic {
  const found = documentOf(text).diagnostics.find((d) => d.code === code);
  expect(found, `a ${code} diagnostic`).toBeDefined();
  return found!;
}

function actionsFor(text: string, code: Diagnostic['code']): CodeAction[] {
  return codeActionsFor(documentOf(text), diagnosticOf(text, code));
}

function errorsOf(text: string): Diagnostic[] {
  return documentOf(text).diagnostics.filter((d) => d.severity === 'error');
}

describe('quick fixes', () => {
  it('unknown-node-type: change to the suggested type, or another close one', () => {
    // ARRANGE
    const text = GREET_FLOW.replace('"type": "http"', '"type": "htpp"');
    // ACT
    const actions = actionsFor(text, 'unknown-node-type');
    // ASSERT
    expect(actions[0]).toMatchObject({ title: "Change the type to 'http'", diagnosticCode: 'unknown-node-type', isPreferred: true });
    const fixed = applyEdits(text, actions[0].edits);
    expect(fixed).toBe(GREET_FLOW);
    expect(errorsOf(fixed)).toEqual([]);

    const others = actionsFor(GREET_FLOW.replace('"type": "log"', '"type": "lo"'), 'unknown-node-type').map((a) => a.title);
    expect(others).toEqual(expect.arrayContaining(["Change the type to 'log'", "Change the type to 'loop'"]));
  });

  it('unknown-reference in a template: change nodes.x to the closest node id', () => {
    const text = GREET_FLOW.replace('nodes.fetch.body.name', 'nodes.fetc.body.name');
    const [action] = actionsFor(text, 'unknown-reference');
    expect(action.title).toBe("Change to 'nodes.fetch'");
    expect(applyEdits(text, action.edits)).toBe(GREET_FLOW);
  });

  it('unknown-reference to a node far from any name: still offers the nearest id', () => {
    const text = GREET_FLOW.replace('nodes.fetch.body.name', 'nodes.zzzzzzzz.body.name');
    const actions = actionsFor(text, 'unknown-reference');
    expect(actions).toHaveLength(1);
    expect(documentOf(applyEdits(text, actions[0].edits)).diagnostics.filter((d) => d.code === 'unknown-reference')).toEqual([]);
  });

  it('unknown-reference to a variable: use the close one, or add it to variables', () => {
    // ARRANGE
    const text = GREET_FLOW.replace('{{ variables.greeting }}', '{{ variables.greting }}');
    // ACT
    const [use, add] = actionsFor(text, 'unknown-reference');
    // ASSERT
    expect(use).toMatchObject({ title: "Change to 'variables.greeting'", isPreferred: true });
    expect(applyEdits(text, use.edits)).toBe(GREET_FLOW);
    expect(add).toMatchObject({ title: "Add 'greting' to variables", isPreferred: false });
    const added = applyEdits(text, add.edits);
    expect(added).toContain('"variables": { "greeting": "Hello", "limit": 3, "greting": "" }');
    expect(errorsOf(added)).toEqual([]);
  });

  it('adds a variables object, indented like the file, when the flow has none', () => {
    const text = '{\n\t// tabs\n\t"version": 1,\n\t"id": "v",\n\t"nodes": [{ "id": "a", "type": "log", "config": { "message": "{{ variables.who }}" } }]\n}\n';
    const [add] = actionsFor(text, 'unknown-reference');
    const fixed = applyEdits(text, add.edits);
    // A short value is written inline (as the canvas writes it), on its own line of the multi-line root.
    expect(fixed).toContain('} }],\n\t"variables": { "who": "" }\n}');
    expect(fixed).toContain('// tabs');
    expect(errorsOf(fixed)).toEqual([]);
  });

  it('keeps the line ends of a CRLF file', () => {
    const text = '{\r\n  "version": 1,\r\n  "id": "v",\r\n  "variables": {\r\n    "a": 1\r\n  },\r\n  "nodes": [{ "id": "n", "type": "log", "config": { "message": "{{ variables.a }} {{ variables.b }}" } }]\r\n}\r\n';
    const add = actionsFor(text, 'unknown-reference').find((a) => a.title === "Add 'b' to variables")!;
    const fixed = applyEdits(text, add.edits);
    expect(fixed).toContain('"variables": {\r\n    "a": 1,\r\n    "b": ""\r\n  }');
    expect(fixed.replace(/\r\n/g, '')).not.toContain('\n');
    expect(errorsOf(fixed)).toEqual([]);
  });

  it("invalid-config with a missing key: adds the key with a placeholder of the schema's kind", () => {
    // ARRANGE: a one-line switch node without `cases`.
    const text = GREET_FLOW.replace('{ "id": "other", "type": "log", "config": { "message": "side" } }', '{ "id": "other", "type": "switch", "config": {} }');
    // ACT
    const [action] = actionsFor(text, 'invalid-config');
    // ASSERT
    expect(action.title).toBe(`Add the missing key 'cases': [{ "port": "port", "condition": "{{ input.total > 100 }}" }]`);
    const fixed = applyEdits(text, action.edits);
    expect(fixed).toContain('{ "id": "other", "type": "switch", "config": { "cases": [{ "port": "port", "condition": "{{ input.total > 100 }}" }] } }');
    // The placeholders pass the schema they came from: what is left is editing them.
    expect(documentOf(fixed).diagnostics.filter((d) => d.code === 'invalid-config')).toEqual([]);
  });

  it('invalid-config: creates the config when the node has none, inline on a one-line node', () => {
    const text = GREET_FLOW.replace('{ "id": "other", "type": "log", "config": { "message": "side" } }', '{ "id": "other", "type": "log" }');
    const [action] = actionsFor(text, 'invalid-config');
    const fixed = applyEdits(text, action.edits);
    expect(fixed).toContain('{ "id": "other", "type": "log", "config": { "message": "" } }');
    expect(errorsOf(fixed)).toEqual([]);
  });

  it('invalid-config: adds to a multi-line config with its indentation, leaving the rest alone', () => {
    const text = `{
    "version": 1,
    "id": "m",
    "nodes": [
        {
            "id": "wait",
            "type": "merge",
            "config": {
                "mode": "all"
            }
        },
        { "id": "s", "type": "split", "config": {
            "seed": 1
        } }
    ],
    "edges": [{ "from": "wait", "to": "s" }]
}`;
    const [action] = actionsFor(text, 'invalid-config');
    const fixed = applyEdits(text, action.edits);
    expect(fixed).toContain(
      '{ "id": "s", "type": "split", "config": {\n            "seed": 1,\n            "branches": [{ "port": "port", "weight": 0 }]\n        } }',
    );
    expect(fixed.split('\n').slice(0, 11).join('\n')).toBe(text.split('\n').slice(0, 11).join('\n'));
    expect(documentOf(fixed).diagnostics.filter((d) => d.data?.missingKey === 'branches')).toEqual([]);
  });

  it('unknown-reference in tests and layout: rename the key, or drop the stale layout entry', () => {
    const mock = GREET_FLOW.replace('"mocks": { "fetch"', '"mocks": { "fecth"');
    const [rename] = actionsFor(mock, 'unknown-reference');
    expect(applyEdits(mock, rename.edits)).toBe(GREET_FLOW);

    const layout = GREET_FLOW.replace('"layout": { "fetch"', '"layout": { "gone"');
    const actions = codeActionsFor(documentOf(layout), diagnosticOf(layout, 'unknown-reference'));
    const drop = actions.find((a) => a.title === "Remove the layout position of 'gone'")!;
    const dropped = applyEdits(layout, drop.edits);
    expect(dropped).toContain('"layout": {}');
    expect(documentOf(dropped).diagnostics.filter((d) => d.code === 'unknown-reference')).toEqual([]);
  });

  it('unknown-node and unknown-port: the suggestion', () => {
    const edge = GREET_FLOW.replace('{ "from": "fetch", "to": "check" }', '{ "from": "fetch", "to": "chek" }');
    expect(applyEdits(edge, actionsFor(edge, 'unknown-node')[0].edits)).toBe(GREET_FLOW);
    const port = GREET_FLOW.replace('"port": "true"', '"port": "ture"');
    expect(applyEdits(port, actionsFor(port, 'unknown-port')[0].edits)).toBe(GREET_FLOW);
  });

  it('unknown-property: change a misspelt property to the known one, dotted, bracketed or in a var path', () => {
    // ARRANGE: fetch's output is { status, headers, body }; the trigger has customerId and address.
    for (const [right, wrong] of [
      ['{{ trigger.customerId }}', '{{ trigger.customerID }}'],
      ['nodes.fetch.body.name', 'nodes.fetch.bdoy.name'],
      ['"var": "nodes.fetch.status"', '"var": "nodes.fetch.stauts"'],
      ['{{ trigger.customerId }}', "{{ trigger['custmerId'] }}"],
    ]) {
      const text = GREET_FLOW.replace(right, wrong);
      // ACT
      const [action] = actionsFor(text, 'unknown-property');
      const fixed = applyEdits(text, action.edits);
      // ASSERT
      expect(action).toMatchObject({ diagnosticCode: 'unknown-property', isPreferred: true });
      expect(fixed.replace("trigger['customerId']", 'trigger.customerId')).toBe(GREET_FLOW);
      expect(documentOf(fixed).diagnostics.filter((d) => d.code === 'unknown-property')).toEqual([]);
    }
  });

  it('type-mismatch on text in arithmetic: wrap it in number(...)', () => {
    const text = GREET_FLOW.replace('"limit": "{{ variables.limit }}"', '"limit": "{{ trigger.customerId * 2 }}"');
    const [action] = actionsFor(text, 'type-mismatch');
    const fixed = applyEdits(text, action.edits);
    expect(fixed).toContain('"limit": "{{ number(trigger.customerId) * 2 }}"');
    expect(documentOf(fixed).diagnostics.filter((d) => d.code === 'type-mismatch')).toEqual([]);
  });

  it('finds the fixes of the diagnostics in a range', () => {
    // ARRANGE
    const text = GREET_FLOW.replace('"type": "http"', '"type": "htpp"');
    const doc = documentOf(text);
    const diagnostic = diagnosticOf(text, 'unknown-node-type');
    // ACT
    const here = codeActionsAt(doc, { start: diagnostic.range!.start, end: diagnostic.range!.start });
    const elsewhere = codeActionsAt(doc, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
    // ASSERT
    expect(here.map((a) => a.title)).toContain("Change the type to 'http'");
    expect(elsewhere).toEqual([]);
  });
});
