import { describe, expect, it } from 'vitest';
import { completionsAt } from '../../../src/language/completion';
import type { CompletionItem } from '../../../src/language/completion';
import { GREET_FLOW, LAST_RUN, applyEdits, at, documentAt, documentOf } from './languageTestUtils';

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

/** The fixture flow with `replace` (which must occur once) replaced by `by`, the cursor marked in `by`. */
function greetWith(replace: string, by: string): string {
  expect(GREET_FLOW.split(replace)).toHaveLength(2);
  return GREET_FLOW.replace(replace, by);
}

/** Sorted the way the editor sorts: by sortText, else label. */
function sorted(items: CompletionItem[]): string[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
}

describe('completion of the flow structure', () => {
  it('offers the registered node types in a node\'s "type", with their title and description', () => {
    // ARRANGE
    const { doc, position } = documentAt(greetWith('"type": "log"', '"type": "lo|"'));
    // ACT
    const items = completionsAt(doc, position);
    // ASSERT
    expect(labels(items)).toEqual(expect.arrayContaining(['http', 'transform', 'log', 'loop', 'ai']));
    const http = items.find((i) => i.label === 'http')!;
    expect(http.kind).toBe('nodeType');
    expect(http.detail).toBe('HTTP request');
    expect(http.documentation).toContain('Sends an HTTP request');
    // Applying it replaces the whole string content.
    const { text } = at(greetWith('"type": "log"', '"type": "lo|"'));
    expect(applyEdits(text, [{ range: http.range!, newText: http.label }])).toContain('"type": "http", "config": { "message": "side" }');
  });

  it('offers a type as a quoted string where no string is typed yet', () => {
    const { doc, position } = documentAt('{ "version": 1, "id": "x", "nodes": [ { "id": "a", "type": | } ] }');
    const transform = completionsAt(doc, position).find((i) => i.label === 'transform')!;
    expect(transform.insertText).toBe('"transform"');
  });

  it("offers the config keys of the node's type that are not there yet, required ones first", () => {
    // ARRANGE: an http node that has `url` and `headers`.
    const { doc, position } = documentAt(greetWith('"config": { "url"', '"config": { "|", "url"'));
    // ACT
    const items = completionsAt(doc, position);
    // ASSERT
    expect(items.every((i) => i.kind === 'configKey')).toBe(true);
    expect(labels(items).sort()).toEqual(['body', 'circuitBreaker', 'failOnStatus', 'method', 'query', 'responseSchema', 'timeoutMs']);
    expect(items.find((i) => i.label === 'method')!.documentation).toBe('HTTP method (default GET).');
    expect(items.find((i) => i.label === 'method')!.detail).toContain('"GET"');
  });

  it('marks required config keys and inserts a whole key outside quotes', () => {
    const { doc, position } = documentAt('{ "version": 1, "id": "x", "nodes": [ { "id": "a", "type": "http", "config": { | } } ] }');
    const items = completionsAt(doc, position);
    expect(sorted(items)[0]).toBe('url');
    const url = items.find((i) => i.label === 'url')!;
    expect(url.detail).toBe('string (required)');
    expect(url.insertText).toBe('"url": ');
  });

  it("offers the graph's node ids in an edge's from and to, without the other end", () => {
    const { doc, position } = documentAt(greetWith('{ "from": "fetch", "to": "check" }', '{ "from": "fetch", "to": "|" }'));
    const items = completionsAt(doc, position);
    expect(labels(items)).toEqual(['check', 'greet', 'other']);
    expect(items[0]).toMatchObject({ kind: 'nodeId', detail: 'if' });
  });

  it('offers only the body nodes in the edges of a loop body', () => {
    const { doc, position } = documentAt(`{ "version": 1, "id": "x", "nodes": [
      { "id": "outer", "type": "transform", "config": { "output": 1 } },
      { "id": "each", "type": "loop", "config": { "items": "{{ [1] }}", "body": {
        "nodes": [ { "id": "first", "type": "transform", "config": { "output": 1 } }, { "id": "second", "type": "transform", "config": { "output": 2 } } ],
        "edges": [ { "from": "|", "to": "second" } ] } } }
    ] }`);
    expect(labels(completionsAt(doc, position))).toEqual(['first']);
  });

  it("offers the from node's ports and error in an edge's port", () => {
    const { doc, position } = documentAt(greetWith('"port": "true"', '"port": "|"'));
    const items = completionsAt(doc, position);
    expect(labels(items)).toEqual(['true', 'false', 'error']);
    expect(items.every((i) => i.kind === 'port')).toBe(true);
  });

  it('offers every node id as a key of test mocks, test expectations and layout', () => {
    for (const [replace, by] of [
      ['"mocks": { "fetch"', '"mocks": { "|": {}, "fetch"'],
      ['"nodes": { "greet"', '"nodes": { "|": {}, "greet"'],
      ['"layout": { "fetch"', '"layout": { "|": {}, "fetch"'],
    ]) {
      const { doc, position } = documentAt(greetWith(replace, by));
      expect(labels(completionsAt(doc, position)), replace).toEqual(['fetch', 'check', 'greet', 'other']);
    }
  });
});

describe('completion inside {{ }}', () => {
  it('offers the scope roots and the functions at the start of a path', () => {
    const { doc, position } = documentAt(greetWith('"message": "side"', '"message": "{{ up| }}"'));
    const items = completionsAt(doc, position);
    expect(labels(items)).toEqual(expect.arrayContaining(['trigger', 'input', 'nodes', 'variables', 'secrets', 'execution', 'item', 'index', 'upper', 'round']));
    const upper = items.find((i) => i.label === 'upper')!;
    expect(upper).toMatchObject({ kind: 'function', detail: 'upper(s)' });
    // The range covers what is typed of the name: `up`.
    const { text } = at(greetWith('"message": "side"', '"message": "{{ up| }}"'));
    expect(applyEdits(text, [{ range: upper.range!, newText: 'upper' }])).toContain('"message": "{{ upper }}"');
  });

  it('offers node ids after nodes., upstream of the node being edited first', () => {
    // ARRANGE: greet's upstream is check (one step) and fetch (two steps); other is not upstream.
    const { doc, position } = documentAt(greetWith('"limit": "{{ variables.limit }}"', '"limit": "{{ nodes.| }}"'));
    // ACT
    const items = completionsAt(doc, position);
    // ASSERT
    expect(sorted(items)).toEqual(['check', 'fetch', 'other']);
    expect(items.find((i) => i.label === 'other')!.detail).toBe('log (not upstream)');
    expect(items.find((i) => i.label === 'fetch')!.documentation).toContain('Fetch the customer');
  });

  it('offers in a loop body its upstream body nodes, then those upstream of the loop, then the rest', () => {
    // ARRANGE
    //   before -> each(body: first -> second) ; after
    const { doc, position } = documentAt(`{ "version": 1, "id": "x", "nodes": [
      { "id": "before", "type": "transform", "config": { "output": [1] } },
      { "id": "each", "type": "loop", "config": { "items": "{{ nodes.before }}", "body": {
        "nodes": [ { "id": "first", "type": "transform", "config": { "output": 1 } },
                   { "id": "second", "type": "transform", "config": { "output": "{{ nodes.| }}" } } ],
        "edges": [ { "from": "first", "to": "second" } ] } } },
      { "id": "after", "type": "transform", "config": { "output": 1 } }
    ], "edges": [ { "from": "before", "to": "each" } ] }`);
    // ACT
    const items = completionsAt(doc, position);
    // ASSERT: the loop itself has no output while its body runs, but it is still named.
    expect(sorted(items)).toEqual(['first', 'before', 'after', 'each']);
  });

  it('completes while the template and the string are still unterminated', () => {
    const { doc, position } = documentAt('{ "version": 1, "id": "x", "nodes": [\n { "id": "a", "type": "transform", "config": { "output": 1 } },\n { "id": "b", "type": "log", "config": { "message": "{{ nodes.|\n } } ] }');
    expect(labels(completionsAt(doc, position))).toEqual(['a']);
  });

  it("offers a node's output fields from the last run and from its type's outputSchema after nodes.<id>.", () => {
    const { doc, position } = documentAt(greetWith('"limit": "{{ variables.limit }}"', '"limit": "{{ nodes.fetch.| }}"'), { lastRun: LAST_RUN });
    const items = completionsAt(doc, position);
    expect(labels(items).sort()).toEqual(['body', 'headers', 'status']);
    expect(items.find((i) => i.label === 'status')!.detail).toContain('200');
    expect(items.find((i) => i.label === 'status')!.documentation).toBe('The HTTP status code.');
  });

  it('offers nested fields of the last run after nodes.fetch.body.', () => {
    const { doc, position } = documentAt(greetWith('"limit": "{{ variables.limit }}"', '"limit": "{{ nodes.fetch.body.| }}"'), { lastRun: LAST_RUN });
    const items = completionsAt(doc, position);
    expect(labels(items)).toEqual(['name', 'plan', 'address']);
    expect(items[0]).toMatchObject({ kind: 'field', detail: '"Ada"  (in run run-42)' });
  });

  it('offers the outputSchema fields when there is no run', () => {
    const { doc, position } = documentAt(greetWith('"limit": "{{ variables.limit }}"', '"limit": "{{ nodes.fetch.s| }}"'));
    const items = completionsAt(doc, position);
    expect(labels(items).sort()).toEqual(['body', 'headers', 'status']);
  });

  it('offers the variables after variables.', () => {
    const { doc, position } = documentAt(greetWith('"limit": "{{ variables.limit }}"', '"limit": "{{ variables.| }}"'));
    const items = completionsAt(doc, position);
    expect(labels(items)).toEqual(['greeting', 'limit']);
    expect(items[0]).toMatchObject({ kind: 'variable', detail: '"Hello"' });
  });

  it('offers known secret names and those already used after secrets.', () => {
    const { doc, position } = documentAt(greetWith('"message": "side"', '"message": "{{ secrets.| }}"'), { knownSecrets: new Set(['SLACK_HOOK']) });
    const items = completionsAt(doc, position);
    expect(labels(items)).toEqual(['API_TOKEN', 'SLACK_HOOK']);
    expect(items.find((i) => i.label === 'API_TOKEN')!.detail).toBe('secret (not set)');
    expect(items.every((i) => i.kind === 'secret')).toBe(true);
  });

  it("offers the inputs schema's properties and the last run's input after trigger., nested too", () => {
    const { doc, position } = documentAt(greetWith('"message": "side"', '"message": "{{ trigger.| }}"'), { lastRun: LAST_RUN });
    const items = completionsAt(doc, position);
    expect(labels(items)).toEqual(['customerId', 'address']);
    expect(items[0]).toMatchObject({ detail: 'string', documentation: 'Who to greet' });

    const nested = documentAt(greetWith('"message": "side"', '"message": "{{ trigger.address.| }}"'), { lastRun: LAST_RUN });
    // `city` from the schema, `zip` only from the recorded input.
    expect(labels(completionsAt(nested.doc, nested.position))).toEqual(['city', 'zip']);
  });

  it('completes in a condition written without braces', () => {
    // The editor filters by what is typed (`f`); the list puts check's upstream node first.
    const { doc, position } = documentAt(greetWith('"condition": { "==": [{ "var": "nodes.fetch.status" }, 200] }', '"condition": "nodes.f|"'));
    expect(sorted(completionsAt(doc, position))).toEqual(['fetch', 'greet', 'other']);
  });

  it('writes a node id that is no identifier in brackets, replacing the dot', () => {
    // ARRANGE
    const fixture = `{ "version": 1, "id": "x", "nodes": [
      { "id": "my-node", "type": "transform", "config": { "output": 1 } },
      { "id": "b", "type": "log", "config": { "message": "{{ nodes.m| }}" } }
    ], "edges": [ { "from": "my-node", "to": "b" } ] }`;
    const { doc, position } = documentAt(fixture);
    // ACT
    const item = completionsAt(doc, position).find((i) => i.label === 'my-node')!;
    // ASSERT
    expect(item.insertText).toBe("['my-node']");
    expect(applyEdits(at(fixture).text, [{ range: item.range!, newText: item.insertText! }])).toContain(`"{{ nodes['my-node'] }}"`);
    expect(documentOf(applyEdits(at(fixture).text, [{ range: item.range!, newText: item.insertText! }])).diagnostics).toEqual([]);
  });

  it('offers names inside brackets without adding quotes', () => {
    const { doc, position } = documentAt(greetWith('"message": "side"', `"message": "{{ nodes['fe| }}"`));
    const item = completionsAt(doc, position).find((i) => i.label === 'fetch')!;
    expect(item.insertText).toBeUndefined();
  });

  it('offers nothing in plain text or in a string literal of an expression', () => {
    for (const by of ['"message": "plain te|xt"', `"message": "{{ 'a b| }}"`]) {
      const { doc, position } = documentAt(greetWith('"message": "side"', by));
      expect(completionsAt(doc, position), by).toEqual([]);
    }
  });
});
