// The engine's side of debugging, without DAP: what a gate is asked and told, and what its answers do.
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../src/api/runFlow';
import type { DebugGate, GateDecision, GatedNode, NodeEnd } from '../../../src/engine/run/debugGate';
import { fixture } from './dapHarness';

function recordingGate(answer: (target: GatedNode) => GateDecision = () => ({ action: 'run' })) {
  const before: { path: string; input: unknown; config: unknown }[] = [];
  const after: { nodeId: string; end: NodeEnd }[] = [];
  const gate: DebugGate = {
    beforeNode: async (target) => {
      before.push({ path: target.frames.map((f) => (f.iteration === undefined ? f.nodeId : `${f.nodeId}[${f.iteration}]`)).join('/'), input: target.input, config: target.config() });
      return answer(target);
    },
    afterNode: (target, end) => {
      after.push({ nodeId: target.nodeId, end });
      return false;
    },
  };
  return { gate, before, after };
}

describe('debug gate (engine)', () => {
  it('is asked before every node, with frames through loop iterations, and the resolved config', async () => {
    const { gate, before } = recordingGate();
    const record = await runFlow(fixture('loop.flow.json'), { input: { items: [1, 2] }, history: false, debug: { gate, frames: [] } });
    expect(record.status).toBe('completed');
    expect(before.map((b) => b.path)).toEqual(['items', 'each', 'each[0]/double', 'each[1]/double', 'total']);
    expect(before[2].config).toEqual({ output: 2 });
  });

  it('passes into subflow runs under the calling node’s frame', async () => {
    const { gate, before } = recordingGate();
    await runFlow(fixture('parent.flow.json'), { input: { name: 'Ada' }, history: false, debug: { gate, frames: [] } });
    expect(before.map((b) => b.path)).toEqual(['prepare', 'call', 'call/inner', 'after']);
  });

  it('runs a node on the input the gate gives, or skips it with the gate’s output', async () => {
    const changed = recordingGate((t) => (t.nodeId === 'small' ? { action: 'run', input: { n: 8 } } : { action: 'run' }));
    const a = await runFlow(fixture('branching.flow.json'), { input: { n: 5 }, history: false, debug: { gate: changed.gate, frames: [] } });
    expect(a.output).toEqual({ size: 'small', n: 8 });
    const skipped = recordingGate((t) => (t.nodeId === 'small' ? { action: 'skip', output: 'instead' } : { action: 'run' }));
    const b = await runFlow(fixture('branching.flow.json'), { input: { n: 5 }, history: false, debug: { gate: skipped.gate, frames: [] } });
    expect(b.nodes.small).toMatchObject({ status: 'skipped', output: 'instead' });
    expect(b.output).toBe('instead');
  });

  it('is told of each node error, handled or not', async () => {
    const { gate, after } = recordingGate();
    const record = await runFlow(fixture('failing.flow.json'), { input: {}, history: false, debug: { gate, frames: [] } });
    expect(record.status).toBe('failed');
    expect(after.filter((a) => !a.end.ok).map((a) => [a.nodeId, a.end.handled])).toEqual([
      ['handled', true],
      ['boom', false],
    ]);
  });
});
