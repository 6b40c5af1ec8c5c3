import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import type { Diagnostic } from '../../../../src/engine/model/diagnostics';

/** A flow with `triggers` (and `extra` fields) as JSONC text, one trigger per line, so positions can be checked. */
function flowText(triggers: object[], extra = ''): string[] {
  return [
    '{ "version": 1, "id": "orders",',
    ...(extra ? [`  ${extra},`] : []),
    '  "triggers": [',
    ...triggers.map((t, i) => `    ${JSON.stringify(t)}${i < triggers.length - 1 ? ',' : ''}`),
    '  ],',
    '  "nodes": [{ "id": "a", "type": "transform", "config": { "output": 1 } }] }',
  ];
}

function triggerDiagnostics(lines: string[]): Diagnostic[] {
  const result = compileFlow(lines.join('\n'));
  const found = result.diagnostics.filter((d) => d.code === 'invalid-trigger');
  if (found.length > 0) expect(result.flow).toBeUndefined();
  return found;
}

/** Zero-based line and character of `needle` in the lines. */
function positionOf(lines: string[], needle: string): { line: number; character: number } {
  const line = lines.findIndex((l) => l.includes(needle));
  return { line, character: lines[line].indexOf(needle) };
}

describe('compileFlow: trigger rules (invalid-trigger)', () => {
  it('refuses an 8-field cron, on the cron', () => {
    const lines = flowText([{ type: 'schedule', cron: '0 0 7 * * * * *' }]);
    const [d, ...rest] = triggerDiagnostics(lines);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', path: ['triggers', 0, 'cron'] });
    expect(d.message).toMatch(/has 8 fields/);
    expect(d.range?.start).toEqual(positionOf(lines, '"0 0 7 * * * * *"'));
  });

  it('refuses a cron croner cannot read', () => {
    const [d] = triggerDiagnostics(flowText([{ type: 'schedule', cron: '61 * * * *' }]));
    expect(d).toMatchObject({ path: ['triggers', 0, 'cron'] });
    expect(d.message).toMatch(/is not a cron pattern/);
  });

  it('refuses an unknown time zone, on the time zone', () => {
    const lines = flowText([{ type: 'schedule', cron: '0 7 * * *', timezone: 'Mars/Base' }]);
    const [d] = triggerDiagnostics(lines);
    expect(d.message).toBe('"Mars/Base" is not a time zone: use an IANA name such as "UTC" or "Europe/Berlin".');
    expect(d.range?.start).toEqual(positionOf(lines, '"Mars/Base"'));
  });

  it('refuses a webhook path that cannot be served as written, on the path', () => {
    const lines = flowText([{ type: 'webhook', path: '../../x' }]);
    const [d] = triggerDiagnostics(lines);
    expect(d.message).toBe('Webhook path "../../x": a webhook path has no "." or ".." segments.');
    expect(d.range?.start).toEqual(positionOf(lines, '"../../x"'));
  });

  it('refuses two webhooks of the flow on one route, but not one path under two methods', () => {
    const lines = flowText([
      { type: 'webhook', path: 'in' },
      { type: 'webhook', path: 'in', method: 'GET' },
      { type: 'webhook', path: 'in', method: 'POST' },
    ]);
    const diagnostics = triggerDiagnostics(lines);
    expect(diagnostics.map((d) => [d.path, d.message])).toEqual([
      [['triggers', 2, 'path'], 'POST /hooks/in is already the route of trigger 1 of this flow'],
    ]);
  });

  it('checks a schedule input against the flow inputs, including a missing input', () => {
    const inputs = '"inputs": { "type": "object", "required": ["day"], "properties": { "day": { "type": "string" } } }';
    const bad = flowText([{ type: 'schedule', cron: '0 7 * * *', input: { day: 3 } }, { type: 'schedule', cron: '0 8 * * *' }], inputs);
    expect(triggerDiagnostics(bad).map((d) => [d.path, d.message])).toEqual([
      [['triggers', 0, 'input'], "The schedule's input does not match the flow's inputs: input/day: must be string"],
      [['triggers', 1], "The schedule's input does not match the flow's inputs: input/day: is required"],
    ]);
    expect(triggerDiagnostics(flowText([{ type: 'schedule', cron: '0 7 * * *', input: { day: 'mon' } }], inputs))).toEqual([]);
  });

  it('accepts good triggers: five- and six-field crons in a real zone, a nested path, the defaulted path', () => {
    const lines = flowText([
      { type: 'schedule', cron: '0 7 * * 1-5', timezone: 'Europe/Berlin' },
      { type: 'schedule', cron: '*/10 * * * * *' },
      { type: 'webhook', path: 'v1/orders.created' },
      { type: 'webhook' },
      { type: 'manual' },
    ]);
    const result = compileFlow(lines.join('\n'));
    expect(result.diagnostics).toEqual([]);
    expect(result.flow).toBeDefined();
  });

  it('carries the triggers with their defaults applied once, where they are written, for live mode to serve', () => {
    const lines = flowText([
      { type: 'manual' },
      { type: 'webhook' },
      { type: 'webhook', path: 'v2/orders', method: 'PUT', respond: 'result', secret: '{{ secrets.HOOK_KEY }}' },
      { type: 'schedule', cron: '0 7 * * *' },
      { type: 'schedule', cron: '30 6 * * 1', timezone: 'Europe/Berlin', input: { day: 'mon' } },
    ]);
    const flow = compileFlow(lines.join('\n')).flow!;
    const plain = flow.triggers.map((trigger) => {
      if (trigger.type !== 'webhook' || trigger.secret === undefined) return { ...trigger, range: trigger.range?.start, pattern: undefined };
      const { template, secretNames, range } = trigger.secret;
      return { ...trigger, range: trigger.range?.start, secret: { template, secretNames, range: range?.start } };
    });
    expect(plain).toEqual([
      { type: 'manual', index: 0, range: positionOf(lines, '{"type":"manual"}') },
      { type: 'webhook', index: 1, range: positionOf(lines, '{"type":"webhook"}'), path: 'orders', method: 'POST', respond: 'ack' },
      {
        type: 'webhook',
        index: 2,
        range: positionOf(lines, '{"type":"webhook","path"'),
        path: 'v2/orders',
        method: 'PUT',
        respond: 'result',
        secret: { template: '{{ secrets.HOOK_KEY }}', secretNames: ['HOOK_KEY'], range: positionOf(lines, '"{{ secrets.HOOK_KEY }}"') },
      },
      { type: 'schedule', index: 3, range: positionOf(lines, '{"type":"schedule","cron":"0 7'), cron: '0 7 * * *', timezone: 'UTC', input: undefined, pattern: undefined },
      {
        type: 'schedule',
        index: 4,
        range: positionOf(lines, '{"type":"schedule","cron":"30 6'),
        cron: '30 6 * * 1',
        timezone: 'Europe/Berlin',
        input: { day: 'mon' },
        pattern: undefined,
      },
    ]);
    // The pattern is read in the schedule's own zone: 06:30 in Berlin on a Monday in winter is 05:30 UTC.
    const berlin = flow.triggers[4];
    expect(berlin.type === 'schedule' && berlin.pattern.nextRun(new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-01-05T05:30:00.000Z');
  });
});
