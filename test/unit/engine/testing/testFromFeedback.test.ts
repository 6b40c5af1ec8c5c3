import { describe, expect, it } from 'vitest';
import { testFromFeedback } from '../../../../src/engine/testing/testFromFeedback';
import type { RunRecord } from '../../../../src/engine/run/runRecord';

const record: RunRecord = {
  id: 'run-1',
  flowId: 'triage',
  flowHash: 'h',
  status: 'completed',
  mode: 'run',
  trigger: { type: 'manual' },
  input: { text: 'printer on fire' },
  output: { queue: 'backlog' },
  startedAt: '2026-03-01T12:00:00.000Z',
  nodes: {
    ask: { status: 'completed', attempts: 1, output: { text: 'low' } },
    route: { status: 'completed', attempts: 1, output: { queue: 'backlog' } },
  },
};

describe('testFromFeedback', () => {
  it('for a correct verdict, asserts the node’s recorded output on top of the run’s outcome', () => {
    const { test } = testFromFeedback(['ask'], record, 'route', { verdict: 'correct', at: 'x' }, 'kept');
    expect(test).toEqual({
      name: 'kept',
      input: { text: 'printer on fire' },
      mocks: { ask: { output: { text: 'low' } } },
      expect: { status: 'completed', output: { queue: 'backlog' }, nodes: { route: { output: { queue: 'backlog' } } } },
    });
  });

  it('for an incorrect verdict, asserts the expected output only, and a mocked judged node is mocked with it', () => {
    const downstream = testFromFeedback(['ask'], record, 'route', { verdict: 'incorrect', expected: { queue: 'pager' }, at: 'x' }, 'fixed');
    const model = testFromFeedback(['ask'], record, 'ask', { verdict: 'incorrect', expected: { text: 'urgent' }, at: 'x' }, 'fixed');

    expect(downstream.test.expect).toEqual({ nodes: { route: { status: 'completed', output: { queue: 'pager' } } } });
    expect(downstream.test.mocks).toEqual({ ask: { output: { text: 'low' } } });
    expect(model.test.mocks).toEqual({ ask: { output: { text: 'urgent' } } });
    expect(model.warnings.join(' ')).toMatch(/ask is mocked/);
  });

  it('refuses an incorrect verdict that does not say what was expected', () => {
    expect(() => testFromFeedback(['ask'], record, 'route', { verdict: 'incorrect', at: 'x' }, 'n')).toThrow(/expected output/);
  });
});
