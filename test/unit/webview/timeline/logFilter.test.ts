import { describe, expect, it } from 'vitest';
import { filterLogs, formatLogText, logFileName } from '../../../../webview/timeline/logFilter';
import type { LogLine } from '../../../../webview/timeline/runState';

const ts = Date.parse('2026-03-01T10:00:00.000Z');
const lines: LogLine[] = [
  { seq: 1, ts, level: 'debug', nodeId: 'fetch', message: 'GET https://api.test answered 200' },
  { seq: 2, ts: ts + 5, level: 'info', nodeId: 'note', message: 'Order A-1 queued' },
  { seq: 3, ts: ts + 9, level: 'warn', nodeId: 'fetch', message: 'slow answer' },
  { seq: 4, ts: ts + 12, level: 'error', nodeId: 'send', message: 'SMTP refused\nsecond line', loop: { loopNodeId: 'remind', iteration: 1 } },
];

describe('filterLogs', () => {
  it('keeps lines at the chosen level and above', () => {
    // ACT
    const warnings = filterLogs(lines, { minLevel: 'warn', search: '' });

    // ASSERT
    expect(warnings.map((l) => l.seq)).toEqual([3, 4]);
  });

  it('searches messages and node ids, ignoring case', () => {
    // ACT
    const byMessage = filterLogs(lines, { minLevel: 'debug', search: 'ORDER' });
    const byNode = filterLogs(lines, { minLevel: 'debug', search: 'fetch' });

    // ASSERT
    expect(byMessage.map((l) => l.seq)).toEqual([2]);
    expect(byNode.map((l) => l.seq)).toEqual([1, 3]);
  });

  it('combines level and search', () => {
    // ACT
    const result = filterLogs(lines, { minLevel: 'info', search: 'fetch' });

    // ASSERT
    expect(result.map((l) => l.seq)).toEqual([3]);
  });
});

describe('formatLogText', () => {
  it('writes one line per entry with time, level and node, and indents continuation lines', () => {
    // ACT
    const text = formatLogText(lines.slice(2), { flowName: 'order-intake', runId: 'abc-123' });

    // ASSERT
    expect(text.split('\n')).toEqual([
      '# Weft run abc-123 of order-intake: 2 log lines',
      '2026-03-01T10:00:00.009Z WARN  [fetch] slow answer',
      '2026-03-01T10:00:00.012Z ERROR [remind › send #2] SMTP refused',
      '    second line',
      '',
    ]);
  });

  it('names the file after the flow and the run, safely', () => {
    // ACT / ASSERT
    expect(logFileName({ flowName: 'order intake/v2', runId: '0mwrdgnz4-64a0554e' })).toBe('order-intake-v2-0mwrdgnz4.log');
    expect(logFileName({})).toBe('weft-run.log');
  });
});
