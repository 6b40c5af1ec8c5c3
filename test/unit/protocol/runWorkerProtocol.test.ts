// The worker's messages have one definition: the zod schema the host checks them with. Their type is inferred
// from it, so a field added to one cannot be missing from the other.

import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Diagnostic } from '../../../src/engine/model/diagnostics';
import type { EngineEvent } from '../../../src/engine/run/events';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import type { SingleNodeResult } from '../../../src/engine/run/runSingleNode';
import type { CanvasGraph } from '../../../src/protocol/canvasProtocol';
import { parseWorkerMessage, type WorkerToHost, type WorkerTestResult } from '../../../src/protocol/runWorkerProtocol';

type Reply<Kind extends WorkerToHost['kind']> = Extract<WorkerToHost, { kind: Kind }>;

describe('the worker protocol', () => {
  it('types each message with the exact payload the worker sends', () => {
    expectTypeOf<WorkerToHost['kind']>().toEqualTypeOf<'ready' | 'events' | 'runDone' | 'testsDone' | 'compiled' | 'nodeTested' | 'failed'>();
    expectTypeOf<Reply<'events'>['events']>().toEqualTypeOf<EngineEvent[]>();
    expectTypeOf<Reply<'runDone'>['record']>().toEqualTypeOf<RunRecord>();
    expectTypeOf<Reply<'testsDone'>['results']>().toEqualTypeOf<WorkerTestResult[]>();
    expectTypeOf<Reply<'compiled'>['diagnostics']>().toEqualTypeOf<Diagnostic[]>();
    expectTypeOf<Reply<'compiled'>['graph']>().toEqualTypeOf<CanvasGraph | undefined>();
    expectTypeOf<Reply<'nodeTested'>['result']>().toEqualTypeOf<SingleNodeResult>();
  });

  it('accepts what the worker sends and refuses a message without its envelope', () => {
    const compiled = { kind: 'compiled', requestId: 'r1', diagnostics: [], secretNames: ['TOKEN'], testNames: [], graph: { nodes: [], edges: [] } };
    expect(parseWorkerMessage(compiled)).toBe(compiled);
    expect(parseWorkerMessage({ kind: 'compiled', requestId: 'r1', diagnostics: [] })).toBeUndefined();
    expect(parseWorkerMessage({ kind: 'events', requestId: 'r1', events: [{ type: 'node.started' }] })).toBeUndefined();
    expect(parseWorkerMessage({ kind: 'shutdown' })).toBeUndefined();
  });
});
