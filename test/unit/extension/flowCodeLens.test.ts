import { describe, expect, it, vi } from 'vitest';

// A stand-in for the parts of the VS Code API the CodeLens provider uses.
vi.mock('vscode', async () => {
  const { FakeFileUri: Uri } = await import('../../support/fakeFileUri');
  class Range {
    constructor(
      readonly startLine: number,
      readonly startCharacter: number,
      readonly endLine: number,
      readonly endCharacter: number,
    ) {}
  }
  class CodeLens {
    constructor(
      readonly range: Range,
      readonly command: { title: string; command: string; arguments?: unknown[] },
    ) {}
  }
  return { Uri, Range, CodeLens };
});

const vscode = await import('vscode');
const { FlowCodeLensProvider, testsTitle } = await import('../../../src/extension/flowCodeLens');

const TEXT = [
  '{',
  '  "id": "order-intake",',
  '  "nodes": [ { "id": "check", "type": "if" } ],',
  '  "tests": [',
  '    { "name": "small orders", "expect": {} },',
  '    { "name": "large orders", "expect": {} }',
  '  ]',
  '}',
].join('\n');

type Outcome = 'passed' | 'failed';

function provider(results: Map<string, { outcome: Outcome; durationMs?: number }>, liveFailures = 0): { lenses: () => Promise<{ line: number; title: string; args?: unknown[] }[]>; finish: () => void; refreshed: () => number } {
  let finishListener: () => void = () => undefined;
  let refreshes = 0;
  const runs = { onDidChangeRun: () => ({ dispose: () => undefined }), lastRun: async () => undefined } as never;
  const live = { onDidChange: () => ({ dispose: () => undefined }), liveState: () => (liveFailures > 0 ? 'failed' : 'inactive'), failureCount: () => liveFailures } as never;
  const tests = {
    lastResult: (_file: unknown, name: string) => results.get(name),
    onDidFinishTests: (listener: () => void) => ((finishListener = listener), { dispose: () => undefined }),
  } as never;
  const lensProvider = new FlowCodeLensProvider(runs, live, () => refreshes++, tests);
  const document = { getText: () => TEXT, uri: vscode.Uri.file('/w/order-intake.flow.json') } as never;
  return {
    lenses: async () =>
      (await lensProvider.provideCodeLenses(document)).map((lens) => {
        const { range, command } = lens as unknown as { range: { startLine: number }; command: { title: string; arguments?: unknown[] } };
        return { line: range.startLine, title: command.title, args: command.arguments };
      }),
    finish: () => finishListener(),
    refreshed: () => refreshes,
  };
}

describe('Test CodeLens', () => {
  it('offers to run each test where it is written', async () => {
    const { lenses } = provider(new Map());
    const onTests = (await lenses()).filter((l) => l.line === 4 || l.line === 5);
    expect(onTests.map((l) => [l.line, l.title])).toEqual([
      [4, '$(beaker) Run test'],
      [5, '$(beaker) Run test'],
    ]);
    expect(onTests[0].args?.[1]).toBe('small orders');
  });

  it('shows each result above its test, and the count on the flow\'s Test lens, once the run ended', async () => {
    // ARRANGE
    const results = new Map<string, { outcome: Outcome; durationMs?: number }>();
    const { lenses, finish, refreshed } = provider(results);
    // ACT: the tests ran
    results.set('small orders', { outcome: 'passed', durationMs: 12 });
    results.set('large orders', { outcome: 'failed', durationMs: 30 });
    finish();
    // ASSERT: the editor was asked for new lenses, and they say how each test did
    expect(refreshed()).toBe(1);
    const all = await lenses();
    expect(all.filter((l) => l.line === 4).map((l) => l.title)).toEqual(['$(pass) passed · 12 ms', 'Run again']);
    expect(all.filter((l) => l.line === 5).map((l) => l.title)).toEqual(['$(error) failed · 30 ms', 'Run again']);
    expect(all.find((l) => l.title.includes('Test ·'))?.title).toBe('$(error) Test · 1 passed, 1 failed');
  });

  it("the flow's Test lens stays plain until a test ran", () => {
    expect(testsTitle([undefined, undefined])).toBe('$(beaker) Test');
    expect(testsTitle([{ outcome: 'passed' }])).toBe('$(pass) Test · 1 passed');
  });
});

describe('Debug CodeLens', () => {
  it('sits next to Run above the flow and debugs that file', async () => {
    const { lenses } = provider(new Map());
    const top = (await lenses()).filter((l) => l.line === 0);
    expect(top.map((l) => l.title).slice(0, 2)).toEqual(['$(play) Run', '$(debug-alt) Debug']);
    expect(String(top[1].args?.[0])).toContain('/w/order-intake.flow.json');
  });
});

describe('Flow CodeLens: Insights and live failures', () => {
  it('offers Insights on every flow, and a count of today\'s failed live runs when there are some', async () => {
    const quiet = (await provider(new Map()).lenses()).map((l) => l.title);
    expect(quiet).toContain('$(graph) Insights');
    expect(quiet.some((t) => t.includes('live failure'))).toBe(false);
    const failing = (await provider(new Map(), 2).lenses()).find((l) => l.title.includes('live failure'));
    expect(failing).toMatchObject({ title: '$(error) 2 live failures today', args: [expect.anything(), 'order-intake'] });
  });
});
