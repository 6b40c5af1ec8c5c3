import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { MAX_SUBFLOW_DEPTH } from '../../../../src/engine/nodes/subflow';

const scratch = mkdtempSync(join(tmpdir(), 'weft-subflow-depth-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, flow: object): string {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(flow));
  return file;
}

describe('subflow depth limit', () => {
  it('fails a recursion that never stops with subflow-depth, naming the chain, after MAX_SUBFLOW_DEPTH levels', async () => {
    write('ping.flow.json', { version: 1, id: 'ping', nodes: [{ id: 'toPong', type: 'subflow', config: { flow: './pong.flow.json' } }] });
    const pong = write('pong.flow.json', { version: 1, id: 'pong', nodes: [{ id: 'toPing', type: 'subflow', config: { flow: './ping.flow.json' } }] });
    let started = 0;
    const record = await runFlow(pong, { history: false, onEvent: (e) => void (e.type === 'execution.started' && started++) });
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({
      code: 'subflow-depth',
      message: `Subflows nest more than ${MAX_SUBFLOW_DEPTH} deep: pong.flow.json → ping.flow.json → pong.flow.json → …`,
    });
    // Events of the top run only reach onEvent; what matters is that it ended, with the depth error, not the wrapping of each level.
    expect(started).toBe(1);
    expect(MAX_SUBFLOW_DEPTH).toBe(32);
  });

  it('lets a recursion that an `if` stops run to its end', async () => {
    const countdown = write('countdown.flow.json', {
      version: 1,
      id: 'countdown',
      nodes: [
        { id: 'more', type: 'if', config: { condition: '{{ input.n > 0 }}' } },
        { id: 'again', type: 'subflow', config: { flow: './countdown.flow.json', input: { n: '{{ input.n - 1 }}' } } },
        { id: 'done', type: 'transform', config: { output: { reached: '{{ input.n }}' } } },
      ],
      edges: [
        { from: 'more', to: 'again', port: 'true' },
        { from: 'more', to: 'done', port: 'false' },
      ],
      output: '{{ nodes.done.reached ?? nodes.again }}',
    });
    const record = await runFlow(countdown, { history: false, input: { n: 5 } });
    expect(record.nodes.again.status).toBe('completed');
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('completed');
    expect(record.output).toBe(0);
  });
});
