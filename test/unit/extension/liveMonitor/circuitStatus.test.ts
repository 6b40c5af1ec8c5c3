// The open circuits in the editor: the live monitor's list of open circuits (from the server's status, then its
// circuit events) drives a status bar item whose tooltip names each target and when it is tried again.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CircuitSnapshot } from '../../../../src/engine/circuit/circuitBreaker';
import type { EngineEvent } from '../../../../src/engine/run/events';

interface FakeItem {
  id: string;
  text: string;
  tooltip?: { value: string };
  visible: boolean;
  backgroundColor?: { id: string };
}

const fake = vi.hoisted(() => ({ items: [] as FakeItem[] }));

vi.mock('vscode', () => ({
  StatusBarAlignment: { Left: 1 },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  MarkdownString: class {
    constructor(readonly value: string) {}
  },
  window: {
    createStatusBarItem: (id: string) => {
      const item: FakeItem & { show(): void; hide(): void; dispose(): void } = {
        id,
        text: '',
        visible: false,
        show: () => (item.visible = true),
        hide: () => (item.visible = false),
        dispose: () => undefined,
      };
      fake.items.push(item);
      return item;
    },
  },
}));

const { CircuitStatusItem } = await import('../../../../src/extension/liveMonitor/circuitStatusItem');
const { OpenCircuits } = await import('../../../../src/extension/liveMonitor/openCircuits');

const NOW = Date.parse('2026-12-02T18:00:00Z');
const SETTINGS = { failures: 2, windowMs: 60_000, cooldownMs: 30_000 };
const timeOf = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

function open(target: string, openedAt: number): CircuitSnapshot {
  return { target, state: 'open', failures: 2, settings: SETTINGS, openedAt: new Date(openedAt).toISOString(), retryAt: new Date(openedAt + SETTINGS.cooldownMs).toISOString() };
}

function event(type: 'circuit.opened' | 'circuit.closed', circuit: CircuitSnapshot): EngineEvent {
  return { type, executionId: 'r1', seq: 3, ts: new Date(NOW).toISOString(), nodeId: 'call', circuit } as EngineEvent;
}

beforeEach(() => {
  fake.items.length = 0;
});

describe('open circuits in the status bar', () => {
  it('lists the open circuits from the status with when each retries, follows opened and closed events, and hides when none is open', () => {
    // ARRANGE: the server's status has one open and one closed circuit
    const circuits = new OpenCircuits();
    const item = new CircuitStatusItem(timeOf);
    const shown = fake.items[0];
    circuits.replace([open('http api.example.test', NOW - 10_000), { target: 'http fine.test', state: 'closed', failures: 1, settings: SETTINGS }]);

    // ACT
    item.show(circuits.list(), 'http://127.0.0.1:8787', NOW);

    // ASSERT
    expect(shown.visible).toBe(true);
    expect(shown.text).toBe('$(debug-disconnect) 1 circuit open');
    expect(shown.backgroundColor?.id).toBe('statusBarItem.warningBackground');
    expect(shown.tooltip?.value).toContain('http api.example.test: open after 2 failures within 60 s; retries at 18:00:20');
    expect(shown.tooltip?.value).not.toContain('fine.test');

    // ACT: an ai target opens in a run; the first one's cooldown has passed
    expect(circuits.apply(event('circuit.opened', open('ai https://llm.test/v1 gpt-x', NOW + 5_000)))).toBe(true);
    item.show(circuits.list(), 'http://127.0.0.1:8787', NOW + 25_000);

    // ASSERT
    expect(shown.text).toBe('$(debug-disconnect) 2 circuits open');
    expect(shown.tooltip?.value).toContain('the next call probes it (since 18:00:20)');
    expect(shown.tooltip?.value).toContain('ai https://llm.test/v1 gpt-x: open after 2 failures within 60 s; retries at 18:00:35');

    // ACT: both close
    circuits.apply(event('circuit.closed', { target: 'http api.example.test', state: 'closed', failures: 0, settings: SETTINGS }));
    circuits.apply(event('circuit.closed', { target: 'ai https://llm.test/v1 gpt-x', state: 'closed', failures: 0, settings: SETTINGS }));
    item.show(circuits.list(), 'http://127.0.0.1:8787', NOW + 40_000);

    // ASSERT
    expect(circuits.list()).toEqual([]);
    expect(shown.visible).toBe(false);
  });

  it('ignores events that are not about circuits', () => {
    const circuits = new OpenCircuits();
    expect(circuits.apply({ type: 'node.started', executionId: 'r1', seq: 1, ts: '', nodeId: 'a' } as unknown as EngineEvent)).toBe(false);
  });
});
