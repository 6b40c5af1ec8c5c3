import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { misspelledNodeHint, setSecretHint, unmockedHint } from '../../../../src/engine/run/errorHints';
import { compileOrThrow, flowOf, runDefinition, transform } from '../../../support/runHelpers';

describe('misspelledNodeHint', () => {
  it.each<[string, string | undefined]>([
    ['return nodes.fetc.body.items;', "There is no node 'fetc' in this flow. Did you mean nodes.fetch?"],
    ['return nodes["lookup-usr"].name;', "There is no node 'lookup-usr' in this flow. Did you mean nodes.lookup-user?"],
    ['return nodes.fetch.body;', undefined],
    ['return nodes.somethingElse;', undefined],
  ])('%s', (code, hint) => {
    expect(misspelledNodeHint([code], ['fetch', 'lookup-user'])).toBe(hint);
  });
});

describe('hints on run-time errors', () => {
  it('a code node that reads a misspelt node suggests the node meant', async () => {
    // fetch -> use (code reads nodes.fetc)
    const { record } = await runDefinition(
      flowOf([transform('fetch', { body: 1 }), { id: 'use', type: 'code', config: { code: 'return nodes.fetc.body;' } }], [{ from: 'fetch', to: 'use' }]),
    );
    expect(record.nodes.use.error).toMatchObject({ code: 'sandbox-error', hint: "There is no node 'fetc' in this flow. Did you mean nodes.fetch?" });
  });

  it('an unmocked call in a test says how to mock it', async () => {
    const flow = compileOrThrow(flowOf([{ id: 'crm', type: 'http', config: { url: 'https://example.com' } }]));
    const record = await runFlow(flow, { mode: 'test', history: false, secrets: {} });
    expect(record.nodes.crm.error).toMatchObject({ code: 'unmocked-side-effect', hint: unmockedHint('crm') });
    expect(unmockedHint('crm')).toBe('Add a mock to the test case: "mocks": { "crm": { "output": { ... } } }, or { "error": "..." } to take its failure path.');
  });

  it('a missing secret says how to set it', async () => {
    const flow = compileOrThrow(flowOf([transform('auth', '{{ secrets.CRM_TOKEN }}')]));
    const record = await runFlow(flow, { history: false, secrets: {} });
    expect(record.error).toMatchObject({ code: 'missing-secret', hint: setSecretHint(['CRM_TOKEN']) });
    expect(setSecretHint(['CRM_TOKEN'])).toBe('In VS Code run "Weft: Set Secret" and enter CRM_TOKEN; for the command line, set the environment variable (export CRM_TOKEN=...).');
  });
});
