import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';
import { flowOf, runDefinition, statuses, transform } from '../../../support/runHelpers';
import { flakyType, hangType } from '../../../support/runTestTypes';

describe('run semantics (spec section 5)', () => {
  it('passes the trigger payload to roots and outputs the only sink', async () => {
    // a -> b
    const { record } = await runDefinition(flowOf([transform('a', { x: '{{ input.n }}' }), transform('b', '{{ input.x * 2 }}')], [{ from: 'a', to: 'b' }]), {
      input: { n: 21 },
    });
    expect(record.status).toBe('completed');
    expect(record.output).toBe(42);
    expect(record.nodes.a).toMatchObject({ status: 'completed', attempts: 1, input: { n: 21 }, output: { x: 21 } });
  });

  it('skips the branch not taken and everything only it feeds (dead-path elimination)', async () => {
    //        /true-> yes -> yes2
    // check
    //        \false-> no
    const { record, events } = await runDefinition(
      flowOf(
        [
          { id: 'check', type: 'if', config: { condition: '{{ trigger.n > 5 }}' } },
          transform('yes', 'big'),
          transform('yes2', '{{ input }}!'),
          transform('no', 'small'),
        ],
        [
          { from: 'check', port: 'true', to: 'yes' },
          { from: 'yes', to: 'yes2' },
          { from: 'check', port: 'false', to: 'no' },
        ],
      ),
      { input: { n: 1 } },
    );
    expect(statuses(record)).toEqual({ check: 'completed', yes: 'skipped', yes2: 'skipped', no: 'completed' });
    expect(record.nodes.check.ports).toEqual(['false']);
    expect(record.output).toBe('small');
    expect(events.filter((e) => e.type === 'node.skipped').map((e) => (e as { nodeId: string }).nodeId)).toEqual(['yes', 'yes2']);
  });

  it('runs a join when at least one incoming edge is active', async () => {
    // check -true-> a -\
    //       -false-> b -> join
    const { record } = await runDefinition(
      flowOf(
        [{ id: 'check', type: 'if', config: { condition: true } }, transform('a', { a: 1 }), transform('b', { b: 2 }), transform('join', '{{ input }}')],
        [
          { from: 'check', port: 'true', to: 'a' },
          { from: 'check', port: 'false', to: 'b' },
          { from: 'a', to: 'join' },
          { from: 'b', to: 'join' },
        ],
      ),
    );
    expect(statuses(record)).toMatchObject({ a: 'completed', b: 'skipped', join: 'completed' });
    expect(record.output).toEqual({ a: 1 });
  });

  it('merges object contributions in edge order and makes an array when one is not an object', async () => {
    const objects = await runDefinition(
      flowOf([transform('a', { k: 'a', a: 1 }), transform('b', { k: 'b', b: 2 }), transform('c', '{{ input }}')], [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ]),
    );
    expect(objects.record.output).toEqual({ k: 'b', a: 1, b: 2 });

    const mixed = await runDefinition(
      flowOf([transform('a', { a: 1 }), transform('b', 7), transform('c', '{{ input }}')], [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ]),
    );
    expect(mixed.record.output).toEqual([{ a: 1 }, 7]);
  });

  it('applies an edge map with `input` bound to the source output', async () => {
    const { record } = await runDefinition(
      flowOf([transform('a', { first: 'Ada', last: 'Lovelace' }), transform('b', '{{ input }}')], [
        { from: 'a', to: 'b', map: { name: '{{ input.first }} {{ input.last }}', upper: '{{ upper(input.last) }}' } },
      ]),
    );
    expect(record.output).toEqual({ name: 'Ada Lovelace', upper: 'LOVELACE' });
  });

  it('gives several completed sinks as an object keyed by id, and honours an output template', async () => {
    const several = await runDefinition(flowOf([transform('a', 1), transform('b', 2)]));
    expect(several.record.output).toEqual({ a: 1, b: 2 });
    const templated = await runDefinition(flowOf([transform('a', 1), transform('b', 2)], [], { output: { sum: '{{ nodes.a + nodes.b }}' } }));
    expect(templated.record.output).toEqual({ sum: 3 });
  });

  it('reads variables and execution metadata in templates', async () => {
    const { record } = await runDefinition(
      flowOf([transform('a', { v: '{{ variables.greeting }}', flow: '{{ execution.flowId }}', id: '{{ execution.id }}' })], [], {
        variables: { greeting: 'hi' },
      }),
    );
    expect(record.output).toEqual({ v: 'hi', flow: 'test-flow', id: record.id });
  });
});

describe('failures, retries and timeouts (spec section 3)', () => {
  it('retries with exponential backoff and reports each retry', async () => {
    const flaky = flakyType(2);
    const { record, events } = await runDefinition(
      flowOf([{ id: 'f', type: 'flaky', retry: { maxAttempts: 3, delayMs: 10, backoff: 'exponential' } }]),
      { types: [flaky] },
    );
    expect(record.status).toBe('completed');
    expect(record.nodes.f).toMatchObject({ status: 'completed', attempts: 3, output: { attempt: 3 } });
    const retries = events.filter((e) => e.type === 'node.retrying');
    expect(retries.map((e) => [e.attempt, e.delayMs])).toEqual([
      [2, 10],
      [3, 20],
    ]);
    expect(retries[0]).toMatchObject({ error: { message: 'boom 1' } });
  });

  it('fails the run when the last attempt fails, cancelling what had not run', async () => {
    // f -> after
    const flaky = flakyType(5);
    const { record } = await runDefinition(flowOf([{ id: 'f', type: 'flaky', retry: { maxAttempts: 2, delayMs: 1 } }, transform('after', 1)], [{ from: 'f', to: 'after' }]), {
      types: [flaky],
    });
    expect(flaky.calls).toBe(2);
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ message: 'boom 2', nodeId: 'f' });
    expect(statuses(record)).toEqual({ f: 'failed', after: 'cancelled' });
  });

  it('onError skip: the node ends failed and handled, and its out port carries the error', async () => {
    const flaky = flakyType(9);
    const { record } = await runDefinition(flowOf([{ id: 'f', type: 'flaky', onError: 'skip' }, transform('after', '{{ input.error.message }}')], [{ from: 'f', to: 'after' }]), {
      types: [flaky],
    });
    expect(record.status).toBe('completed');
    expect(record.nodes.f).toMatchObject({ status: 'failed', errorHandled: true, output: { error: { message: 'boom 1' } } });
    expect(record.output).toBe('boom 1');
  });

  it('an error edge handles the failure with the error and the input, and the out path is skipped', async () => {
    const flaky = flakyType(9);
    const { record } = await runDefinition(
      flowOf([{ id: 'f', type: 'flaky' }, transform('ok', 'fine'), transform('handler', { msg: '{{ input.error.message }}', name: '{{ input.error.name }}', saw: '{{ input.input.n }}' })], [
        { from: 'f', to: 'ok' },
        { from: 'f', port: 'error', to: 'handler' },
      ]),
      { types: [flaky], input: { n: 3 } },
    );
    expect(record.status).toBe('completed');
    expect(statuses(record)).toEqual({ f: 'failed', ok: 'skipped', handler: 'completed' });
    expect(record.nodes.f.errorHandled).toBe(true);
    expect(record.output).toEqual({ msg: 'boom 1', name: 'Error', saw: 3 });
  });

  it('a node timeout fails the attempt and fires its abort signal', async () => {
    const seen = { aborted: false };
    const { record } = await runDefinition(flowOf([{ id: 'h', type: 'hang', timeoutMs: 30 }]), { types: [hangType(seen)] });
    expect(record.status).toBe('failed');
    expect(record.nodes.h.error).toMatchObject({ code: 'timeout' });
    expect(seen.aborted).toBe(true);
  });

  it('the whole-run timeout fails the run with code timeout', async () => {
    const seen = { aborted: false };
    const { record, events } = await runDefinition(flowOf([{ id: 'h', type: 'hang' }], [], { settings: { timeoutMs: 40 } }), { types: [hangType(seen)] });
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ code: 'timeout' });
    expect(record.nodes.h.status).toBe('cancelled');
    expect(seen.aborted).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'execution.failed', error: { code: 'timeout' } });
  });

  it('cancel: running nodes get their abort signal, pending nodes end cancelled', async () => {
    // h -> later
    const seen = { aborted: false };
    const controller = new AbortController();
    const running = runDefinition(flowOf([{ id: 'h', type: 'hang' }, transform('later', 1)], [{ from: 'h', to: 'later' }]), {
      types: [hangType(seen)],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const { record, events } = await running;
    expect(record.status).toBe('cancelled');
    expect(statuses(record)).toEqual({ h: 'cancelled', later: 'cancelled' });
    expect(seen.aborted).toBe(true);
    expect(events.at(-1)?.type).toBe('execution.cancelled');
  });

  it('cancel ends the run even when a node ignores its signal', async () => {
    const stubborn = defineNodeType({
      type: 'stubborn',
      title: 't',
      description: 't',
      configSchema: z.object({}).passthrough(),
      ports: ['out'],
      run: () => new Promise(() => undefined),
    });
    const controller = new AbortController();
    const running = runDefinition(flowOf([{ id: 's', type: 'stubborn' }]), { types: [stubborn], signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const { record } = await running;
    expect(record.status).toBe('cancelled');
  });

  it('a disabled node is skipped with disabled: true and passes its input on', async () => {
    const { record } = await runDefinition(
      flowOf([transform('a', { n: 1 }), transform('b', 'never', { disabled: true }), transform('c', '{{ input }}')], [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ]),
    );
    expect(record.nodes.b).toMatchObject({ status: 'skipped', disabled: true });
    expect(record.output).toEqual({ n: 1 });
  });
});

describe('node types in a run', () => {
  it('merge mode first runs as soon as one path arrives', async () => {
    const seen = { aborted: false };
    const { record } = await runDefinition(
      flowOf([{ id: 'slow', type: 'hang' }, transform('fast', { v: 'fast' }), { id: 'm', type: 'merge', config: { mode: 'first', combine: 'assign' } }], [
        { from: 'slow', to: 'm' },
        { from: 'fast', to: 'm' },
      ], { settings: { timeoutMs: 2000 }, output: '{{ nodes.m }}' }),
      { types: [hangType(seen)], signal: AbortSignal.timeout(300) },
    );
    // The merge completed with the fast path while the slow one still ran; the run then was cancelled.
    expect(record.nodes.m).toMatchObject({ status: 'completed', output: { v: 'fast' } });
  });

  it('merge combines object, array and assign', async () => {
    const edges = [
      { from: 'a', to: 'm' },
      { from: 'b', to: 'm' },
    ];
    const nodes = (combine: string): object[] => [transform('a', { x: 1 }), transform('b', { x: 2, y: 3 }), { id: 'm', type: 'merge', config: { combine } }];
    expect((await runDefinition(flowOf(nodes('object'), edges))).record.output).toEqual({ a: { x: 1 }, b: { x: 2, y: 3 } });
    expect((await runDefinition(flowOf(nodes('array'), edges))).record.output).toEqual([{ x: 1 }, { x: 2, y: 3 }]);
    expect((await runDefinition(flowOf(nodes('assign'), edges))).record.output).toEqual({ x: 2, y: 3 });
  });

  it('switch fires the first matching case, else default', async () => {
    const definition = (): object =>
      flowOf(
        [
          { id: 's', type: 'switch', config: { cases: [{ port: 'big', condition: '{{ trigger.n > 10 }}' }, { port: 'mid', condition: { '>': [{ var: 'trigger.n' }, 5] } }] } },
          transform('big', 'big'),
          transform('mid', 'mid'),
          transform('other', 'other'),
        ],
        [
          { from: 's', port: 'big', to: 'big' },
          { from: 's', port: 'mid', to: 'mid' },
          { from: 's', port: 'default', to: 'other' },
        ],
      );
    expect((await runDefinition(definition(), { input: { n: 20 } })).record.output).toBe('big');
    expect((await runDefinition(definition(), { input: { n: 7 } })).record.output).toBe('mid');
    expect((await runDefinition(definition(), { input: { n: 1 } })).record.output).toBe('other');
  });

  it('split picks the same branch for the same seed, and follows the weights', async () => {
    const definition = (seed: string): object =>
      flowOf(
        [{ id: 'ab', type: 'split', config: { seed, branches: [{ port: 'a', weight: 1 }, { port: 'b', weight: 1 }] } }, transform('a', 'a'), transform('b', 'b')],
        [
          { from: 'ab', port: 'a', to: 'a' },
          { from: 'ab', port: 'b', to: 'b' },
        ],
      );
    const picks: unknown[] = [];
    for (let i = 0; i < 40; i++) picks.push((await runDefinition(definition(`seed-${i}`))).record.output);
    const again: unknown[] = [];
    for (let i = 0; i < 40; i++) again.push((await runDefinition(definition(`seed-${i}`))).record.output);
    expect(again).toEqual(picks);
    expect(picks).toContain('a');
    expect(picks).toContain('b');

    const weighted = flowOf(
      [{ id: 'ab', type: 'split', config: { branches: [{ port: 'a', weight: 0 }, { port: 'b', weight: 5 }] } }, transform('a', 'a'), transform('b', 'b')],
      [
        { from: 'ab', port: 'a', to: 'a' },
        { from: 'ab', port: 'b', to: 'b' },
      ],
    );
    expect((await runDefinition(weighted)).record.output).toBe('b');
  });

  it('loop runs the body once per item with item, index and outer outputs in scope', async () => {
    const { record, events } = await runDefinition(
      flowOf(
        [
          transform('prefix', 'item'),
          {
            id: 'each',
            type: 'loop',
            config: {
              items: '{{ trigger.list }}',
              body: {
                nodes: [transform('label', '{{ nodes.prefix }}-{{ index }}-{{ item }}'), transform('wrap', { text: '{{ input }}', again: '{{ nodes.label }}' })],
                edges: [{ from: 'label', to: 'wrap' }],
              },
            },
          },
        ],
        [{ from: 'prefix', to: 'each' }],
        { output: '{{ nodes.each }}' },
      ),
      { input: { list: ['a', 'b', 'c'] } },
    );
    expect(record.output).toEqual([
      { text: 'item-0-a', again: 'item-0-a' },
      { text: 'item-1-b', again: 'item-1-b' },
      { text: 'item-2-c', again: 'item-2-c' },
    ]);
    expect(record.nodes.each.iterations).toBe(3);
    const bodyEvents = events.filter((e) => e.type === 'node.completed' && e.loop);
    expect(bodyEvents.map((e) => [(e as { nodeId: string }).nodeId, (e as { loop: { iteration: number } }).loop.iteration])).toEqual([
      ['label', 0],
      ['wrap', 0],
      ['label', 1],
      ['wrap', 1],
      ['label', 2],
      ['wrap', 2],
    ]);
  });

  it('loop iterations start clean: each takes its own branch and sees no output of the iteration before', async () => {
    // ARRANGE: items that alternate between the two branches of an if in the body; `peek` runs before either
    // branch in every iteration, so it sees a branch's output only if one leaked from the iteration before.
    const definition = flowOf([
      {
        id: 'each',
        type: 'loop',
        config: {
          items: '{{ trigger }}',
          body: {
            nodes: [
              { id: 'check', type: 'if', config: { condition: '{{ item > 100 }}' } },
              transform('peek', "{{ nodes.big ?? nodes.small ?? 'none' }}"),
              transform('big', 'big {{ item }}'),
              transform('small', 'small {{ item }}'),
            ],
            edges: [
              { from: 'check', port: 'true', to: 'big' },
              { from: 'check', port: 'false', to: 'small' },
            ],
            output: { peek: '{{ nodes.peek }}', size: '{{ nodes.big ?? nodes.small }}' },
          },
        },
      },
    ]);

    // ACT
    const { record, events } = await runDefinition(definition, { input: [500, 1, 2, 700] });

    // ASSERT
    expect(record.nodes.each.output).toEqual([
      { peek: 'none', size: 'big 500' },
      { peek: 'none', size: 'small 1' },
      { peek: 'none', size: 'small 2' },
      { peek: 'none', size: 'big 700' },
    ]);
    const skipped = events.flatMap((e) => (e.type === 'node.skipped' && e.loop ? [[e.nodeId, e.loop.iteration]] : []));
    expect(skipped).toEqual([
      ['small', 0],
      ['big', 1],
      ['big', 2],
      ['small', 3],
    ]);
    expect(record.nodes.each.iterations).toBe(4);
  });

  it('loop fails when it gets more items than maxIterations', async () => {
    const { record } = await runDefinition(
      flowOf([{ id: 'each', type: 'loop', config: { items: '{{ trigger }}', maxIterations: 2, body: { nodes: [transform('x', 1)] } } }]),
      { input: [1, 2, 3] },
    );
    expect(record.status).toBe('failed');
    expect(record.nodes.each.error).toMatchObject({ code: 'loop-limit' });
  });

  it('filter keeps the items whose condition holds', async () => {
    const { record } = await runDefinition(flowOf([{ id: 'f', type: 'filter', config: { items: '{{ trigger }}', condition: '{{ item % 2 == 0 && index > 0 }}' } }]), {
      input: [2, 3, 4, 6],
    });
    expect(record.output).toEqual([4, 6]);
  });

  it('wait passes its input on after the time', async () => {
    const started = Date.now();
    const { record } = await runDefinition(flowOf([{ id: 'w', type: 'wait', config: { ms: 50 } }]), { input: { a: 1 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(record.output).toEqual({ a: 1 });
    expect(record.nodes.w.state).toMatchObject({ until: expect.any(String) });
  });

  it('log writes to the node record and the event stream', async () => {
    const { record, events } = await runDefinition(flowOf([{ id: 'l', type: 'log', config: { message: 'hello {{ trigger.who }}', level: 'warn' } }]), {
      input: { who: 'you' },
    });
    expect(record.nodes.l.logs).toEqual([{ ts: expect.any(String), level: 'warn', message: 'hello you' }]);
    expect(events.find((e) => e.type === 'node.log')).toMatchObject({ nodeId: 'l', level: 'warn', message: 'hello you' });
  });

  it('fail fails with its message', async () => {
    const { record } = await runDefinition(flowOf([{ id: 'stop', type: 'fail', config: { message: 'no {{ trigger.what }}' } }]), { input: { what: 'luck' } });
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ message: 'no luck', nodeId: 'stop' });
    expect(record.error?.stack).toBeUndefined();
  });
});

describe('events and the record (spec section 11)', () => {
  it('emits execution.started first, the terminal event last, and seq rises by one', async () => {
    const { record, events } = await runDefinition(flowOf([transform('a', 1), transform('b', 2)], [{ from: 'a', to: 'b' }]));
    expect(events[0]).toMatchObject({ type: 'execution.started', flowId: 'test-flow', executionId: record.id, nodeIds: ['a', 'b'] });
    expect(events.at(-1)).toMatchObject({ type: 'execution.completed', output: 2 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(['execution.started', 'node.started', 'node.completed', 'node.started', 'node.completed', 'execution.completed']);
    expect(record).toMatchObject({ flowId: 'test-flow', mode: 'run', trigger: { type: 'manual' }, status: 'completed' });
    expect(Date.parse(record.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
  });

  it('never lets a secret reach the record, the events or the logs', async () => {
    const secret = 's3cr3t-value';
    const { record, events } = await runDefinition(
      flowOf([
        transform('a', { header: 'Bearer {{ secrets.TOKEN }}', nested: ['x {{ secrets.TOKEN }} y'] }),
        { id: 'l', type: 'log', config: { message: 'using {{ secrets.TOKEN }}' } },
        { id: 'f', type: 'fail', config: { message: 'bad token {{ secrets.TOKEN }}' } },
      ]),
      { secrets: { TOKEN: secret } },
    );
    const everything = JSON.stringify({ record, events });
    expect(everything).not.toContain(secret);
    expect(record.nodes.a.output).toEqual({ header: 'Bearer ***', nested: ['x *** y'] });
    expect(record.nodes.l.logs?.[0].message).toBe('using ***');
  });

  it('in test mode mocks replace nodes and an unmocked http node fails', async () => {
    const definition = flowOf([{ id: 'call', type: 'http', config: { url: 'http://127.0.0.1:9/never' } }, transform('use', '{{ input.body.v }}')], [{ from: 'call', to: 'use' }]);
    const mocked = await runDefinition(definition, { mode: 'test', mocks: { call: { output: { status: 200, body: { v: 'mocked' } } } } });
    expect(mocked.record.output).toBe('mocked');
    expect(mocked.record.mode).toBe('test');

    const unmocked = await runDefinition(definition, { mode: 'test' });
    expect(unmocked.record.status).toBe('failed');
    expect(unmocked.record.nodes.call.error?.message).toContain('unmocked side effect');
  });
});

describe('resume and re-run from a node (spec section 5)', () => {
  it('resume reuses the completed nodes and runs the rest', async () => {
    // a -> b(flaky) -> c
    const flaky = flakyType(1);
    const definition = flowOf([transform('a', { n: '{{ trigger.n }}' }), { id: 'b', type: 'flaky' }, transform('c', 'done {{ input.attempt }}')], [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
    ]);
    const first = await runDefinition(definition, { types: [flaky], input: { n: 1 } });
    expect(first.record.status).toBe('failed');

    const second = await runDefinition(definition, { types: [flaky], resumeFrom: first.record });
    expect(second.record.status).toBe('completed');
    expect(second.record.resumedFrom).toBe(first.record.id);
    expect(second.record.input).toEqual({ n: 1 });
    expect(second.record.nodes.a).toMatchObject({ status: 'completed', reused: true, output: { n: 1 } });
    expect(second.record.nodes.b).toMatchObject({ status: 'completed', attempts: 1 });
    expect(flaky.calls).toBe(2);
  });

  it('re-run from a node reuses only what is not downstream of it, keeping branch decisions', async () => {
    // pick -true-> x -> y ; pick -false-> z
    const counter = { runs: 0 };
    const counted = defineNodeType({
      type: 'counted',
      title: 't',
      description: 't',
      configSchema: z.object({}).passthrough(),
      ports: ['out'],
      run: (ctx) => ({ output: { run: ++counter.runs, from: ctx.input } }),
    });
    const definition = flowOf(
      [{ id: 'pick', type: 'if', config: { condition: true } }, { id: 'x', type: 'counted' }, { id: 'y', type: 'counted' }, { id: 'z', type: 'counted' }],
      [
        { from: 'pick', port: 'true', to: 'x' },
        { from: 'x', to: 'y' },
        { from: 'pick', port: 'false', to: 'z' },
      ],
    );
    const first = await runDefinition(definition, { types: [counted] });
    expect(counter.runs).toBe(2);
    const rerun = await runDefinition(definition, { types: [counted], resumeFrom: first.record, rerunFrom: 'y' });
    expect(rerun.record.nodes.pick.reused).toBe(true);
    expect(rerun.record.nodes.x).toMatchObject({ reused: true, output: { run: 1 } });
    expect(rerun.record.nodes.y).toMatchObject({ status: 'completed', output: { run: 3 } });
    expect(rerun.record.nodes.z.status).toBe('skipped');
    expect(rerun.record.rerunFrom).toBe('y');
  });

  it('a wait resumed after an interruption only waits for the time left', async () => {
    const definition = flowOf([{ id: 'w', type: 'wait', config: { ms: 60_000 } }, transform('after', 'woke')], [{ from: 'w', to: 'after' }]);
    // A run that died mid-wait: its checkpoint says the wait is due 80 ms from now.
    const interrupted = (await runDefinition(flowOf([transform('w', 1), transform('after', 1)], [{ from: 'w', to: 'after' }]))).record;
    interrupted.status = 'interrupted';
    interrupted.nodes = {
      w: { status: 'running', attempts: 1, state: { until: new Date(Date.now() + 80).toISOString() } },
      after: { status: 'pending', attempts: 0 },
    };
    const started = Date.now();
    const resumed = await runDefinition(definition, { resumeFrom: interrupted });
    const waited = Date.now() - started;
    expect(resumed.record.status).toBe('completed');
    expect(resumed.record.output).toBe('woke');
    expect(waited).toBeGreaterThanOrEqual(60);
    expect(waited).toBeLessThan(5_000);
  });
});

describe('concurrency', () => {
  it('never runs more than settings.concurrency nodes at once', async () => {
    const nodes = Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, type: 'wait', config: { ms: 15 } }));
    const { events } = await runDefinition(flowOf(nodes, [], { settings: { concurrency: 3 } }));
    let running = 0;
    let most = 0;
    for (const e of events) {
      if (e.type === 'node.started') most = Math.max(most, ++running);
      if (e.type === 'node.completed') running--;
    }
    expect(most).toBe(3);
  });
});
