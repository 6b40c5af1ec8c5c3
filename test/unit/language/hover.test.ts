import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import { hoverAt } from '../../../src/language/hover';
import { GREET_FLOW, LAST_RUN, at, documentAt, textOf } from './languageTestUtils';

/** The fixture flow with the cursor put before the first occurrence of `marker`, `shift` characters in. */
function cursorIn(marker: string, shift = 1, flow = GREET_FLOW): string {
  const index = flow.indexOf(marker);
  expect(index).toBeGreaterThanOrEqual(0);
  return `${flow.slice(0, index + shift)}|${flow.slice(index + shift)}`;
}

describe('hover', () => {
  it('describes a node type: what it does, its ports and its config keys', () => {
    const { doc, position } = documentAt(cursorIn('"if"'));
    const hover = hoverAt(doc, position)!;
    expect(hover.contents).toContain('**if**: If: branch on a condition');
    expect(hover.contents).toContain('**Ports:** `true`, `false`, `error`');
    expect(hover.contents).toContain('- `condition` (');
    expect(textOf(at(cursorIn('"if"')).text, hover.range)).toBe('if');
  });

  it('shows a node with its output, status and duration in the last run, wherever its id is written', () => {
    // ARRANGE: the id where it is defined, an edge end, a test mock key, a layout key, and nodes.fetch in a template.
    const places = [
      '"id": "fetch"',
      '"from": "fetch"',
      '"mocks": { "fetch"',
      '"layout": { "fetch"',
      'nodes.fetch.body.name',
    ];
    for (const place of places) {
      const shift = place.indexOf('fetch') + 2;
      const { doc, position } = documentAt(cursorIn(place, shift), { lastRun: LAST_RUN });
      // ACT
      const hover = hoverAt(doc, position);
      // ASSERT
      expect(hover, place).toBeDefined();
      expect(hover!.contents, place).toContain('**fetch** · `http` (HTTP request)');
      expect(hover!.contents).toContain('Fetch the customer');
      expect(hover!.contents).toContain('Run `run-42` (5 min ago): **completed** in 120 ms');
      expect(hover!.contents).toContain('```json\n{\n  "status": 200,');
      expect(textOf(at(cursorIn(place, shift)).text, hover!.range)).toBe('fetch');
    }
  });

  it("cuts a long output to about 1,500 characters and says so", () => {
    const big: RunRecord = { ...LAST_RUN, nodes: { ...LAST_RUN.nodes, fetch: { status: 'completed', attempts: 1, output: { body: 'x'.repeat(5000) } } } };
    const { doc, position } = documentAt(cursorIn('"id": "fetch"', 8), { lastRun: big });
    const contents = hoverAt(doc, position)!.contents;
    expect(contents).toContain('*Truncated: 5,016 characters in all.*');
    expect(contents.length).toBeLessThan(2000);
  });

  it('says when a node did not run, and shows a failed node\'s error', () => {
    const failed: RunRecord = {
      ...LAST_RUN,
      status: 'failed',
      nodes: { fetch: { status: 'failed', attempts: 3, durationMs: 2400, error: { message: 'HTTP 503 Service Unavailable', name: 'WeftError' } } },
    };
    const one = documentAt(cursorIn('"id": "fetch"', 8), { lastRun: failed });
    expect(hoverAt(one.doc, one.position)!.contents).toContain('**failed** in 2.4 s after 3 attempts');
    expect(hoverAt(one.doc, one.position)!.contents).toContain('Error: HTTP 503 Service Unavailable');
    const two = documentAt(cursorIn('{ "id": "greet"', 10), { lastRun: failed });
    expect(hoverAt(two.doc, two.position)!.contents).toContain('Not run in run `run-42` (5 min ago).');
  });

  it('shows the value of a path in the last run, up to the step under the cursor', () => {
    // ARRANGE: the cursor on `body` of nodes.fetch.body.name.
    const fixture = cursorIn('nodes.fetch.body.name', 13);
    const { doc, position } = documentAt(fixture, { lastRun: LAST_RUN });
    // ACT
    const hover = hoverAt(doc, position)!;
    // ASSERT
    expect(textOf(at(fixture).text, hover.range)).toBe('nodes.fetch.body');
    expect(hover.contents).toContain('*Value in run `run-42` (5 min ago):*');
    expect(hover.contents).toContain('"plan": "pro"');
    expect(hover.contents).toContain('Parsed JSON when the content type says JSON');
  });

  it('evaluates a whole template with the engine, with the input the node had', () => {
    const flow = GREET_FLOW.replace('"message": "side"', '"message": "{{ len(trigger.customerId) + 1 }}"');
    const { doc, position } = documentAt(cursorIn('+ 1', 0, flow), { lastRun: LAST_RUN });
    const hover = hoverAt(doc, position)!;
    expect(hover.contents).toContain('`len(trigger.customerId) + 1`');
    expect(hover.contents).toContain('```json\n3\n```');
    expect(textOf(doc.text, hover.range)).toBe('{{ len(trigger.customerId) + 1 }}');
  });

  it('says why a whole template has no value in the last run, instead of failing the hover', () => {
    const flow = GREET_FLOW.replace('"message": "side"', '"message": "{{ len(trigger.customerId) / trigger.customerId }}"');
    const { doc, position } = documentAt(cursorIn('/ trigger', 0, flow), { lastRun: LAST_RUN });
    const hover = hoverAt(doc, position)!;
    expect(hover.contents).toContain('*Fails in run `run-42` (5 min ago):* `len(trigger.customerId) / trigger.customerId`: cannot divide number by string');
  });

  it('shows secrets as *** and never evaluates them', () => {
    // ARRANGE: the hovered template splices a secret into text.
    const flow = GREET_FLOW.replace('"message": "side"', '"message": "{{ \'Bearer \' + secrets.API_TOKEN }}"');
    const whole = documentAt(cursorIn("+ secrets", 0, flow), { lastRun: LAST_RUN, knownSecrets: new Set(['API_TOKEN']) });
    const path = documentAt(cursorIn('secrets.API_TOKEN }}"', 10, flow), { lastRun: LAST_RUN, knownSecrets: new Set() });
    // ACT
    const wholeHover = hoverAt(whole.doc, whole.position)!;
    const pathHover = hoverAt(path.doc, path.position)!;
    // ASSERT
    expect(wholeHover.contents).toContain('"Bearer ***"');
    expect(pathHover.contents).toContain('its value is never shown (`***`)');
    expect(pathHover.contents).toContain('It is **not set**');
  });

  it("shows a function's signature and doc", () => {
    const flow = GREET_FLOW.replace('"message": "side"', '"message": "{{ round(3.14159, 2) }}"');
    const { doc, position } = documentAt(cursorIn('round(', 2, flow));
    const hover = hoverAt(doc, position)!;
    expect(hover.contents).toContain('round(x, digits = 0)');
    expect(textOf(doc.text, hover.range)).toBe('round');
  });

  it('shows a variable\'s value, also without a run', () => {
    const { doc, position } = documentAt(cursorIn('variables.greeting', 12));
    const hover = hoverAt(doc, position)!;
    expect(hover.contents).toBe('**variables.greeting**\n\n```json\n"Hello"\n```');
  });

  it('shows a JSON Logic var path with its value', () => {
    const { doc, position } = documentAt(cursorIn('"nodes.fetch.status"', 14), { lastRun: LAST_RUN });
    const hover = hoverAt(doc, position)!;
    expect(hover.contents).toContain('```json\n200\n```');
  });

  it('has nothing to say about plain values', () => {
    const { doc, position } = documentAt(cursorIn('"side"', 2), { lastRun: LAST_RUN });
    expect(hoverAt(doc, position)).toBeUndefined();
  });
});
