import { describe, expect, it } from 'vitest';
import { hoverAt } from '../../../src/language/hover';
import { nextScheduleTimes, triggersOf } from '../../../src/language/triggerOutline';
import { documentAt } from './languageTestUtils';

const FLOW = `{
  // webhook and a nightly job
  "version": 1,
  "id": "nightly",
  "triggers": [
    { "type": "manual" },
    { "type": "webhook", "method": "PUT", "secret": "{{ secrets.HOOK }}" },
    { "type": "webhook", "path": "orders/new" },
    { "type": "schedule", "cron": "0 7 * * 1-5", "timezone": "Europe/Berlin" },
    { "type": "schedule", "cron": "61 * * * *" }
  ],
  "nodes": [{ "id": "a", "type": "log", "config": { "message": "hi" } }]
}`;

describe('triggersOf', () => {
  it('lists webhook and schedule triggers with their lines, paths, methods and time zones', () => {
    // ACT
    const triggers = triggersOf(FLOW);

    // ASSERT
    expect(triggers.map((t) => [t.type, t.index, t.range.start.line])).toEqual([
      ['webhook', 1, 6],
      ['webhook', 2, 7],
      ['schedule', 3, 8],
      ['schedule', 4, 9],
    ]);
    expect(triggers[0]).toMatchObject({ path: 'nightly', method: 'PUT', secret: '{{ secrets.HOOK }}' });
    expect(triggers[1]).toMatchObject({ path: 'orders/new', method: 'POST', secret: undefined });
    expect(triggers[2]).toMatchObject({ cron: '0 7 * * 1-5', timezone: 'Europe/Berlin' });
    expect(triggers[3]).toMatchObject({ timezone: 'UTC' });
  });

  it('lists no webhook that weft serve refuses, so the editor offers no URL that is never served', () => {
    // ARRANGE: the compiler's rules: a path of unreserved characters without empty segments, a method in capitals.
    const flow = (trigger: string): string =>
      `{ "version": 1, "id": "orders", "triggers": [${trigger}], "nodes": [{ "id": "a", "type": "log", "config": { "message": "hi" } }] }`;

    // ACT
    const leadingSlash = triggersOf(flow('{ "type": "webhook", "path": "/orders/new" }'));
    const space = triggersOf(flow('{ "type": "webhook", "path": "new orders" }'));
    const lowercase = triggersOf(flow('{ "type": "webhook", "method": "put" }'));
    const accepted = triggersOf(flow('{ "type": "webhook", "method": "PUT" }'));

    // ASSERT
    expect([leadingSlash, space, lowercase]).toEqual([[], [], []]);
    expect(accepted).toMatchObject([{ path: 'orders', method: 'PUT' }]);
  });

  it('yields nothing for text that is not a flow yet', () => {
    expect(triggersOf('{ "triggers": [ { "type": "webhook"')).toEqual([]);
  });
});

describe('next schedule times', () => {
  it('gives the next five weekday mornings in the schedule time zone', () => {
    // ARRANGE: a Saturday, noon UTC.
    const after = new Date('2026-11-21T12:00:00Z');

    // ACT
    const next = nextScheduleTimes('0 7 * * 1-5', 'Europe/Berlin', 5, after);

    // ASSERT
    expect(next).toEqual({
      times: [
        'Mon 2026-11-23 07:00:00 Europe/Berlin',
        'Tue 2026-11-24 07:00:00 Europe/Berlin',
        'Wed 2026-11-25 07:00:00 Europe/Berlin',
        'Thu 2026-11-26 07:00:00 Europe/Berlin',
        'Fri 2026-11-27 07:00:00 Europe/Berlin',
      ],
    });
  });

  it('says why a pattern has no times', () => {
    const next = nextScheduleTimes('61 * * * *', 'UTC');
    expect('error' in next && next.error).toMatch(/not a cron pattern/);
  });

  it('shows the next five times on hover over the cron pattern', () => {
    // ARRANGE
    const marked = FLOW.replace('"0 7 * * 1-5"', '"0 7| * * 1-5"');
    const { doc, position } = documentAt(marked);

    // ACT
    const hover = hoverAt(doc, position);

    // ASSERT
    expect(hover?.contents).toMatch(/next 5 times/);
    expect(hover?.contents.match(/^- \w{3} \d{4}-\d\d-\d\d 07:00:00 Europe\/Berlin$/gm)).toHaveLength(5);
  });
});
