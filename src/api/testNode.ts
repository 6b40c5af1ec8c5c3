// Test this node, for a process that runs flows (the run worker, the CLI): gives runSingleNode the services a
// run has (fetch, the code sandbox, subflows as child runs without history, the default AI base URL), as
// runFlow does for a whole run.

import { dirname, resolve } from 'node:path';
import { WeftError } from '../engine/errors';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import type { NodeServices } from '../engine/nodes/nodeType';
import { runSingleNode, type SingleNodeOptions, type SingleNodeResult } from '../engine/run/runSingleNode';
import { runFlow } from './runFlow';
import { sharedCodeSandbox } from './sharedSandbox';

export interface TestNodeOptions extends Omit<SingleNodeOptions, 'services'> {
  aiBaseUrl?: string;
  /** Replace fetch (tests). */
  fetch?: typeof fetch;
}

export function testNode(flow: CompiledFlow, options: TestNodeOptions): Promise<SingleNodeResult> {
  const { aiBaseUrl, fetch: givenFetch, ...rest } = options;
  const services: Omit<NodeServices, 'runGraph'> = {
    fetch: givenFetch ?? globalThis.fetch,
    runCode: (request, signal) => sharedCodeSandbox().run(request, signal),
    // A subflow node under test runs its flow as a run does, but records nothing: a trial leaves no history.
    runSubflow: async (path, input, signal) => {
      const file = resolve(flow.file ? dirname(flow.file) : process.cwd(), path);
      const record = await runFlow(file, { input, signal, history: false, secrets: options.secrets, services: { aiBaseUrl } });
      if (record.status === 'completed') return record.output;
      throw new WeftError('subflow', `The subflow ${path} ${record.status}: ${record.error?.message ?? 'no output'}`, { kind: 'operational' });
    },
    aiBaseUrl: aiBaseUrl ?? process.env.WEFT_AI_BASE_URL,
  };
  return runSingleNode(flow, { ...rest, services });
}
