// What a debug session runs the flow with (launch arguments `input`, `inputFile`, `fromTest`, `fromRun`): the
// input, and for a test case its mocks and test mode, so the debugged run is the test's run.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WeftError } from '../engine/errors';
import type { HistoryStore } from '../engine/history/historyStore';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import type { MockDefinition } from '../engine/model/flowSchema';

export interface LaunchInputArguments {
  input?: unknown;
  inputFile?: string;
  fromTest?: string;
  fromRun?: string;
}

export interface LaunchInput {
  input: unknown;
  mocks?: Record<string, MockDefinition>;
  mode: 'run' | 'test';
}

export async function resolveLaunchInput(args: LaunchInputArguments, flow: CompiledFlow, baseDir: string, history: () => HistoryStore): Promise<LaunchInput> {
  const given = [args.input !== undefined, args.inputFile !== undefined, args.fromTest !== undefined, args.fromRun !== undefined].filter(Boolean).length;
  if (given > 1) throw new WeftError('usage', 'Give one of input, inputFile, fromTest and fromRun.', { kind: 'user' });
  if (args.inputFile !== undefined) {
    const file = resolve(baseDir, args.inputFile);
    try {
      return { input: JSON.parse(readFileSync(file, 'utf8')) as unknown, mode: 'run' };
    } catch (error) {
      throw new WeftError('usage', `inputFile ${file}: ${(error as Error).message}`, { kind: 'user' });
    }
  }
  if (args.fromTest !== undefined) {
    const test = flow.tests.find((t) => t.name === args.fromTest);
    if (!test) {
      const names = flow.tests.map((t) => `'${t.name}'`).join(', ') || 'none';
      throw new WeftError('not-found', `Flow '${flow.id}' has no test '${args.fromTest}' (its tests: ${names}).`, { kind: 'user' });
    }
    return { input: test.input, mocks: test.mocks as Record<string, MockDefinition> | undefined, mode: 'test' };
  }
  if (args.fromRun !== undefined) {
    const record = await history().get(args.fromRun);
    if (!record) throw new WeftError('not-found', `No run '${args.fromRun}' in ${history().dir}.`, { kind: 'user' });
    return { input: record.input, mode: 'run' };
  }
  // A launch.json may hold the input as JSON text (what an input box gives) or as a value.
  if (typeof args.input === 'string') {
    try {
      return { input: JSON.parse(args.input) as unknown, mode: 'run' };
    } catch {
      return { input: args.input, mode: 'run' };
    }
  }
  return { input: args.input, mode: 'run' };
}
