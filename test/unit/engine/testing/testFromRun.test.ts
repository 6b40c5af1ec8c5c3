import { describe, expect, it } from 'vitest';
import { compareWithExpectation } from '../../../../src/api/runTests';
import { testFromRun } from '../../../../src/engine/testing/testFromRun';
import { compileOrThrow, runDefinition } from '../../../support/runHelpers';

describe('testFromRun', () => {
  it('turns a run into a test whose mocks stand for its http calls and which passes against the same flow', async () => {
    // call(http) -> shape
    const definition = {
      version: 1,
      id: 'save-me',
      nodes: [
        { id: 'call', type: 'http', config: { url: 'http://127.0.0.1:9/x' } },
        { id: 'shape', type: 'transform', config: { output: { got: '{{ input.body.v }}', n: '{{ trigger.n }}' } } },
      ],
      edges: [{ from: 'call', to: 'shape' }],
    };
    const flow = compileOrThrow(definition);
    const { record } = await runDefinition(definition, {
      input: { n: 4 },
      mocks: { call: { output: { status: 200, headers: {}, body: { v: 'recorded' } } } },
    });

    const sideEffects = flow.graph.nodes.filter((n) => n.type.sideEffect).map((n) => n.id);
    const { test, warnings } = testFromRun(sideEffects, record, 'from a run');

    expect(test).toEqual({
      name: 'from a run',
      input: { n: 4 },
      mocks: { call: { output: { status: 200, headers: {}, body: { v: 'recorded' } } } },
      expect: { status: 'completed', output: { got: 'recorded', n: 4 } },
    });
    expect(warnings).toEqual([]);
    const replay = await runDefinition(definition, { mode: 'test', input: test.input, mocks: test.mocks });
    expect(compareWithExpectation(test, replay.record)).toEqual([]);
  });
});
