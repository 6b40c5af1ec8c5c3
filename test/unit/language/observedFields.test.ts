// Keys that recent runs' outputs actually had, offered in completion and hover after `nodes.<id>.`, marked as
// observed (with in how many of the recent runs), and never turned into a diagnostic.

import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import { completionsAt } from '../../../src/language/completion';
import { hoverAt } from '../../../src/language/hover';
import { observedFields } from '../../../src/language/observedFields';
import { GREET_FLOW, LAST_RUN, documentAt, documentOf } from './languageTestUtils';

/** LAST_RUN with node `fetch`'s body replaced (and another id). */
function runWithBody(id: string, body: unknown): RunRecord {
  return { ...LAST_RUN, id, nodes: { ...LAST_RUN.nodes, fetch: { ...LAST_RUN.nodes.fetch, output: { status: 200, headers: {}, body } } } };
}

const RECENT: RunRecord[] = [
  runWithBody('run-3', { name: 'Ada', plan: 'pro', vip: true }),
  runWithBody('run-2', { name: 'Bob', plan: 'free' }),
  runWithBody('run-1', { name: 'Cy' }),
  // A run where fetch failed: no output, so it does not count.
  { ...LAST_RUN, id: 'run-0', nodes: { ...LAST_RUN.nodes, fetch: { status: 'failed', attempts: 1, error: { message: 'down', name: 'Error' } } } },
];

function withCursor(replace: string, by: string): string {
  expect(GREET_FLOW.split(replace)).toHaveLength(2);
  return GREET_FLOW.replace(replace, by);
}

describe('observed fields', () => {
  it('counts, per key, the recent runs whose output had it at the path, most often first', () => {
    expect(observedFields(RECENT, 'fetch', ['body'])).toEqual({
      runs: 3,
      keys: [
        { key: 'name', runs: 3 },
        { key: 'plan', runs: 2 },
        { key: 'vip', runs: 1 },
      ],
    });
    expect(observedFields(RECENT, 'fetch', ['body', 'name'])).toBeUndefined();
    expect(observedFields(RECENT, 'nowhere', [])).toBeUndefined();
  });

  it('offers the observed keys after nodes.<id>. in completion, marked "observed in N recent runs"', () => {
    const { doc, position } = documentAt(withCursor('"limit": "{{ variables.limit }}"', '"limit": "{{ nodes.fetch.body.| }}"'), {
      lastRun: RECENT[0],
      recentRuns: RECENT,
    });
    const items = completionsAt(doc, position);
    expect(items.map((i) => i.label)).toEqual(['name', 'plan', 'vip']);
    expect(items.find((i) => i.label === 'name')!.detail).toBe('"Ada"  (in run run-3) · observed in 3 recent runs');
    expect(items.find((i) => i.label === 'vip')!.detail).toBe('true  (in run run-3) · observed in 1 of 3 recent runs');

    // A key only an older run had is offered too, marked as observed only.
    const older = documentAt(withCursor('"limit": "{{ variables.limit }}"', '"limit": "{{ nodes.fetch.body.| }}"'), {
      lastRun: RECENT[2],
      recentRuns: RECENT,
    });
    const plan = completionsAt(older.doc, older.position).find((i) => i.label === 'plan');
    expect(plan).toMatchObject({ kind: 'field', detail: 'observed in 2 of 3 recent runs' });
  });

  it('lists the observed keys in the hover of nodes.<id> and of a path into its output', () => {
    const onNode = documentAt(withCursor('{{ nodes.fetch.body.name }}"', '{{ nodes.fe|tch.body.name }}"'), { lastRun: RECENT[0], recentRuns: RECENT });
    const nodeHover = hoverAt(onNode.doc, onNode.position)!.contents;
    expect(nodeHover).toContain(
      '*Keys observed in recent runs* (what ran, not a guarantee):\n- `body`: observed in 3 recent runs\n- `headers`: observed in 3 recent runs\n- `status`: observed in 3 recent runs',
    );

    const onPath = documentAt(withCursor('{{ nodes.fetch.body.name }}"', '{{ nodes.fetch.bo|dy.name }}"'), { lastRun: RECENT[0], recentRuns: RECENT });
    expect(hoverAt(onPath.doc, onPath.position)!.contents).toContain(
      '*Keys observed in recent runs* (what ran, not a guarantee):\n- `name`: observed in 3 recent runs\n- `plan`: observed in 2 of 3 recent runs\n- `vip`: observed in 1 of 3 recent runs',
    );
  });

  it('never makes a diagnostic: a key no recent run had is not reported', () => {
    const text = withCursor('{{ nodes.fetch.body.name }}"', '{{ nodes.fetch.body.nickname }}"');
    const without = documentOf(text).diagnostics;
    const withRuns = documentOf(text, { lastRun: RECENT[0], recentRuns: RECENT }).diagnostics;
    expect(withRuns).toEqual(without);
    expect(withRuns.filter((d) => d.message.includes('nickname'))).toEqual([]);
  });
});
