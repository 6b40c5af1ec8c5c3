// A run of samples/triage-ticket.flow.json with a model that answers offline: what tests of AI usage (the record,
// the events, the views folded from them) run against.

import type { RunFlowOptions } from '../../src/api/runFlow';

/** The chat completion the fake model answers with: 1,000 tokens in and 500 out, on a model with known prices. */
const TRIAGE_MODEL_USAGE = { model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 500 } as const;

/** Input, secret and a fetch standing in for the model's API: spread into runFlow's options. */
export function triageTicketRun(): Pick<RunFlowOptions, 'input' | 'secrets' | 'services'> {
  const fakeFetch = (async () =>
    new Response(
      JSON.stringify({
        model: TRIAGE_MODEL_USAGE.model,
        choices: [{ index: 0, message: { role: 'assistant', content: '{"category":"bug","urgent":false}' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: TRIAGE_MODEL_USAGE.inputTokens, completion_tokens: TRIAGE_MODEL_USAGE.outputTokens },
      }),
      { headers: { 'content-type': 'application/json' } },
    )) as unknown as typeof fetch;
  return { input: { subject: 'Crash', body: 'It crashes' }, secrets: { OPENAI_API_KEY: 'sk-test' }, services: { fetch: fakeFetch } };
}
