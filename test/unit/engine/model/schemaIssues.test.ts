import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { flowSchema } from '../../../../src/engine/model/flowSchema';
import { describeIssues } from '../../../../src/engine/model/schemaIssues';

function describe_(schema: z.ZodType, value: unknown): ReturnType<typeof describeIssues> {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return describeIssues(result.error.issues, value, schema);
}

describe('describeIssues', () => {
  it('names an unknown key at its key and suggests the known one', () => {
    const reports = describe_(flowSchema, { version: 1, id: 'f', nodez: [], nodes: [{ id: 'a', type: 't' }] });
    expect(reports).toEqual([
      { path: ['nodez'], at: 'key', message: "Unknown key 'nodez'. Did you mean 'nodes'?", data: { key: 'nodez', suggestion: 'nodes' } },
    ]);
  });

  it('suggests keys of nested objects too (a node, a retry)', () => {
    const reports = describe_(flowSchema, { version: 1, id: 'f', nodes: [{ id: 'a', type: 't', retry: { maxAttempt: 2 } }] });
    expect(reports[0]).toMatchObject({ path: ['nodes', 0, 'retry', 'maxAttempt'], message: "Unknown key 'maxAttempt'. Did you mean 'maxAttempts'?" });
  });

  it('says what was expected and what was found', () => {
    const reports = describe_(flowSchema, { version: 1, id: 'f', settings: { timeoutMs: '5' }, nodes: [{ id: 'a', type: 't' }] });
    expect(reports).toEqual([{ path: ['settings', 'timeoutMs'], at: 'value', message: 'Expected number, got string' }]);
  });

  it('reports a missing required key with the key for a quick fix', () => {
    const reports = describe_(flowSchema, { version: 1, id: 'f', nodes: [{ id: 'a' }] });
    expect(reports).toEqual([
      { path: ['nodes', 0, 'type'], at: 'value', message: "Missing required key 'type'", data: { missingKey: 'type' } },
    ]);
  });

  it('lists the allowed values of an enum, a literal and a discriminated union', () => {
    const reports = describe_(flowSchema, {
      version: 2,
      id: 'f',
      triggers: [{ type: 'cron' }],
      nodes: [{ id: 'a', type: 't', onError: 'ignore' }],
    });
    expect(reports.map((r) => r.message)).toEqual([
      'Expected 1, got 2',
      'Expected one of "manual", "webhook", "schedule", got "cron"',
      'Expected one of "fail", "skip", got "ignore"',
    ]);
  });

  it('keeps a schema author\'s own message and shows the value', () => {
    const reports = describe_(flowSchema, { version: 1, id: 'Bad Id', nodes: [] });
    expect(reports.map((r) => r.message)).toEqual([
      'Invalid value "Bad Id": a flow id is lower case letters, digits, _ and -, starting with a letter or digit',
      'A flow has at least one node',
    ]);
  });

  it('words bounds', () => {
    const schema = z.object({ n: z.number().min(1), s: z.string().min(1), p: z.number().positive() });
    expect(describe_(schema, { n: 0, s: '', p: 0 }).map((r) => r.message)).toEqual([
      'Must be at least 1, got 0',
      'Must not be empty',
      'Must be greater than 0, got 0',
    ]);
  });

  it('reports the union branch that got furthest', () => {
    // The mock has a misspelt key: { output } fits best (one issue more for { error }), so the report is about it.
    const reports = describe_(flowSchema, {
      version: 1,
      id: 'f',
      nodes: [{ id: 'a', type: 't' }],
      tests: [{ name: 't', mocks: { a: { outputs: 1 } }, expect: {} }],
    });
    expect(reports).toEqual([
      { path: ['tests', 0, 'mocks', 'a', 'output'], at: 'value', message: "Missing required key 'output'", data: { missingKey: 'output' } },
      {
        path: ['tests', 0, 'mocks', 'a', 'outputs'],
        at: 'key',
        message: "Unknown key 'outputs'. Did you mean 'output'?",
        data: { key: 'outputs', suggestion: 'output' },
      },
    ]);
  });

  it('prefers a branch of the right kind in a value-or-template union', () => {
    const schema = z.object({
      timeoutMs: z.union([z.number(), z.string().regex(/\{\{/, 'expected a number, or a {{ template }}')]),
      when: z.union([z.boolean(), z.number()]),
    });
    const reports = describe_(schema, { timeoutMs: 'soon', when: 'x' });
    expect(reports.map((r) => r.message)).toEqual(['Invalid value "soon": expected a number, or a {{ template }}', 'Expected boolean, got string']);
  });
});
