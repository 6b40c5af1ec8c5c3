// A run's logs are capped per line, per node and per run (defect: one code node wrote a 65 MB record).

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeType, type NodeTypeDefinition } from '../../../../src/engine/nodes/nodeType';
import { DEFAULT_LOG_LIMITS, LogBudget } from '../../../../src/engine/run/logBudget';
import { flowOf, runDefinition } from '../../../support/runHelpers';

const KIB = 1024;

/** Logs `config.lines` lines of `config.chars` characters each. */
const chatty: NodeTypeDefinition = defineNodeType<{ lines: number; chars: number }>({
  type: 'chatty',
  title: 'test',
  description: 'test',
  configSchema: z.object({ lines: z.number(), chars: z.number() }),
  ports: ['out'],
  run: (ctx) => {
    for (let i = 0; i < ctx.config.lines; i++) ctx.log('info', String(i % 10).repeat(ctx.config.chars));
    return { output: null };
  },
});

describe('log budget', () => {
  it('keeps lines within the limits, cuts a long line with a visible marker', () => {
    const budget = new LogBudget({ lineChars: 10, nodeChars: 100, runChars: 1000 });
    expect(budget.admit('a', 'short')).toEqual({ keep: 'short' });
    expect(budget.admit('a', 'x'.repeat(25))).toEqual({ keep: 'xxxxxxxxxx… [truncated 15 chars]' });
  });

  it('drops a node’s lines past its limit, and every later one, counting them', () => {
    const budget = new LogBudget({ lineChars: 100, nodeChars: 10, runChars: 1000 });
    expect(budget.admit('a', '123456')).toEqual({ keep: '123456' });
    expect(budget.admit('a', '123456')).toEqual({ dropped: 1 });
    expect(budget.admit('a', '1')).toEqual({ dropped: 2 });
    expect(budget.admit('b', '123456')).toEqual({ keep: '123456' });
  });

  it('drops lines of any node once the run has logged its limit', () => {
    const budget = new LogBudget({ lineChars: 100, nodeChars: 100, runChars: 10 });
    expect(budget.admit('a', '123456')).toEqual({ keep: '123456' });
    expect(budget.admit('b', '123456')).toEqual({ dropped: 1 });
  });
});

describe('logs in a run record', () => {
  it('one node logging 1,000 lines of 64 KiB keeps about 1 MiB, ending with how many lines were dropped', async () => {
    const { record, events } = await runDefinition(flowOf([{ id: 'c', type: 'chatty', config: { lines: 1000, chars: 64 * KIB } }]), { types: [chatty] });

    const logs = record.nodes.c.logs ?? [];
    const kept = logs.slice(0, -1);
    expect(kept.length).toBe(DEFAULT_LOG_LIMITS.nodeChars / (64 * KIB));
    expect(logs.at(-1)).toMatchObject({ level: 'warn', message: `[logs truncated: ${1000 - kept.length} more lines]` });
    expect(JSON.stringify(record).length).toBeLessThan(1.1 * 1024 * KIB);
    const logEvents = events.filter((e) => e.type === 'node.log');
    expect(logEvents.length).toBe(kept.length + 1);
    expect(logEvents.at(-1)).toMatchObject({ level: 'warn', message: expect.stringMatching(/^\[logs truncated/) });
  });

  it('cuts a line over 64 KiB and says by how much', async () => {
    const { record } = await runDefinition(flowOf([{ id: 'c', type: 'chatty', config: { lines: 1, chars: 100 * KIB } }]), { types: [chatty] });

    const message = record.nodes.c.logs?.[0].message ?? '';
    expect(message.length).toBeLessThan(65 * KIB);
    expect(message.endsWith(`… [truncated ${36 * KIB} chars]`)).toBe(true);
  });

  it('caps the whole run at 4 MiB of logs across its nodes', async () => {
    // Six nodes each log 960 KiB: under the node limit, 5.6 MiB in all.
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, type: 'chatty', config: { lines: 15, chars: 64 * KIB } }));
    const edges = nodes.slice(1).map((node, i) => ({ from: nodes[i].id, to: node.id }));
    const { record } = await runDefinition(flowOf(nodes, edges), { types: [chatty] });

    const chars = Object.values(record.nodes)
      .flatMap((node) => node.logs ?? [])
      .reduce((sum, entry) => sum + entry.message.length, 0);
    expect(chars).toBeLessThanOrEqual(DEFAULT_LOG_LIMITS.runChars + 1000);
    expect(record.nodes.a.logs).toHaveLength(15);
    expect(record.nodes.f.logs).toEqual([expect.objectContaining({ message: '[logs truncated: 15 more lines]' })]);
  });
});
