// `weft validate`: diagnostics at the exact place in the user's file, as text and as JSON.

import { readFileSync } from 'node:fs';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, copyInto, FIXTURES_DIR, makeWorkspace, parseJsonOutput, runCli } from './runCli';

interface Position {
  line: number;
  character: number;
}

interface ValidateJson {
  file: string;
  diagnostics: { code: string; severity: string; message: string; range: { start: Position; end: Position } }[];
}

let dir: string;
let remove: () => Promise<void>;
let brokenLines: string[];

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('validate'));
  await copyInto(dir, join(FIXTURES_DIR, 'validate'), ['good.flow.json', 'broken.flow.json']);
  brokenLines = readFileSync(join(dir, 'broken.flow.json'), 'utf8').split('\n');
});

afterAll(async () => {
  await remove?.();
});

/** 1-based line and column of `needle` in the broken fixture, on the first line holding `lineMarker`. */
function locate(lineMarker: string, needle: string): { line: number; col: number } {
  const index = brokenLines.findIndex((text) => text.includes(lineMarker));
  if (index === -1) throw new Error(`fixture has no line with ${lineMarker}`);
  const col = brokenLines[index].indexOf(needle, brokenLines[index].indexOf(lineMarker));
  if (col === -1) throw new Error(`fixture line ${index + 1} has no ${needle}`);
  return { line: index + 1, col: col + 1 };
}

/** What the broken fixture must produce, in file order: where, and the message's line. */
function expectedErrors(): { code: string; line: number; col: number; message: RegExp | string }[] {
  return [
    { code: 'unknown-node-type', ...locate('"htpp"', '"htpp"'), message: "Unknown node type 'htpp'. Did you mean 'http'?" },
    // The parser points at the operator that has nothing after it.
    { code: 'invalid-expression', ...locate('{{ a + }}', '+'), message: /^Expected an expression after '\+'$/ },
    { code: 'unknown-reference', ...locate('nodes.nope.x', 'nodes.nope.x'), message: /'nope'/ },
    { code: 'unknown-node', ...locate('"ghost"', '"ghost"'), message: /'ghost'/ },
    // The edge that closes the cycle a → b → a.
    { code: 'cycle', ...locate('{ "from": "b", "to": "a" }', '{'), message: /a → b → a/ },
  ];
}

describe('weft validate', () => {
  it('prints one file:line:col line per error of a broken JSONC flow, with a suggestion, and exits 1', async () => {
    // ACT
    const result = await runCli(['validate', '.'], { cwd: dir });

    // ASSERT
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const errorLines = result.stdout.split('\n').filter((line) => line.includes(': error: '));
    const expected = expectedErrors();
    expect(errorLines).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      const line = errorLines[i];
      const match = /^(.+?):(\d+):(\d+): error: (.*) \[([a-z-]+)\]$/.exec(line);
      expect(match, line).not.toBeNull();
      const [, file, lineNo, col, message, code] = match!;
      expect({ file, line: Number(lineNo), col: Number(col), code }, line).toEqual({
        file: 'broken.flow.json',
        line: want.line,
        col: want.col,
        code: want.code,
      });
      if (typeof want.message === 'string') expect(message).toBe(want.message);
      else expect(message).toMatch(want.message);
    });
    // JSONC is accepted: comments and trailing commas are not errors; the good flow has nothing to report.
    expect(result.stdout).not.toContain('[invalid-json]');
    expect(result.stdout).not.toMatch(/^good\.flow\.json:/m);
  });

  it('exits 0 when only the good flow is validated', async () => {
    // ACT
    const result = await runCli(['validate', 'good.flow.json'], { cwd: dir });

    // ASSERT
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/: (error|warning): /);
  });

  it('with --json gives an array of { file, diagnostics } with 0-based ranges, and exits 1', async () => {
    // ACT
    const result = await runCli(['validate', '.', '--json'], { cwd: dir });

    // ASSERT
    expect(result.code).toBe(1);
    const files = parseJsonOutput<ValidateJson[]>(result);
    expect(files.map((f) => f.file.replace(/\\/g, '/').split('/').pop()).sort()).toEqual(['broken.flow.json', 'good.flow.json']);
    const good = files.find((f) => f.file.endsWith('good.flow.json'))!;
    expect(good.diagnostics).toEqual([]);
    const broken = files.find((f) => f.file.endsWith('broken.flow.json'))!;
    const errors = broken.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => ({ code: d.code, start: d.range.start }))).toEqual(
      expectedErrors().map((want) => ({ code: want.code, start: { line: want.line - 1, character: want.col - 1 } })),
    );
    const unknownType = errors.find((d) => d.code === 'unknown-node-type')!;
    // The range covers the string "htpp" with its quotes.
    expect(unknownType.range.end).toEqual({ line: unknownType.range.start.line, character: unknownType.range.start.character + 6 });
    expect(unknownType.message).toContain("Did you mean 'http'?");
  });
});

describe('weft validate: what weft serve or a run would refuse later (issue 9)', () => {
  let hardened: string;
  let removeHardened: () => Promise<void>;

  beforeAll(async () => {
    ({ dir: hardened, remove: removeHardened } = await makeWorkspace('validate-hardening'));
  });

  afterAll(async () => {
    await removeHardened?.();
  });

  /** Writes `files` (name -> JSONC lines) into a fresh folder of the workspace and returns its name. */
  async function folder(name: string, files: Record<string, string[]>): Promise<string> {
    await mkdir(join(hardened, name));
    for (const [file, lines] of Object.entries(files)) await writeFile(join(hardened, name, file), lines.join('\n'));
    return name;
  }

  const NODES = '  "nodes": [{ "id": "a", "type": "transform", "config": { "output": 1 } }] }';

  it('reports a flow id two files share, in each file at its id, naming the other', async () => {
    // ARRANGE
    const name = await folder('dupes', {
      'order-intake.flow.json': ['{ "version": 1,', '  "id": "order-intake",', NODES],
      'order-intake-copy.flow.json': ['{ "version": 1, "id": "order-intake",', NODES],
    });
    // ACT
    const result = await runCli(['validate', name], { cwd: hardened });
    // ASSERT
    expect(result.code).toBe(1);
    const original = `${name}/order-intake.flow.json`;
    const copy = `${name}/order-intake-copy.flow.json`;
    expect(result.stdout).toContain(
      `${original}:2:9: error: Flow id 'order-intake' is also the id of ${copy}:1:23: a flow id is unique in the workspace [duplicate-flow-id]`,
    );
    expect(result.stdout).toContain(
      `${copy}:1:23: error: Flow id 'order-intake' is also the id of ${original}:2:9: a flow id is unique in the workspace [duplicate-flow-id]`,
    );
  });

  it('reports the triggers weft serve refuses (8-field cron, unknown time zone, ../ path) as invalid-trigger', async () => {
    // ARRANGE
    const name = await folder('triggers', {
      'hooks.flow.json': [
        '{ "version": 1, "id": "hooks",',
        '  "triggers": [',
        '    { "type": "schedule", "cron": "0 0 7 * * * * *" },',
        '    { "type": "schedule", "cron": "0 7 * * *", "timezone": "Mars/Base" },',
        '    { "type": "webhook", "path": "../../x" }',
        '  ],',
        NODES,
      ],
    });
    // ACT
    const result = await runCli(['validate', name, '--json'], { cwd: hardened });
    // ASSERT
    expect(result.code).toBe(1);
    const [file] = parseJsonOutput<ValidateJson[]>(result);
    expect(file.diagnostics.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1])).toEqual([
      // Each at the value it is about: the cron, the time zone, the path.
      ['invalid-trigger', 3, 35],
      ['invalid-trigger', 4, 60],
      ['invalid-trigger', 5, 34],
    ]);
  });

  it('warns on a subflow that calls itself, at its `flow`, and exits 0', async () => {
    // ARRANGE
    const name = await folder('recursion', {
      'self.flow.json': ['{ "version": 1, "id": "self",', '  "nodes": [{ "id": "again", "type": "subflow", "config": { "flow": "./self.flow.json" } }] }'],
    });
    // ACT
    const result = await runCli(['validate', name], { cwd: hardened });
    // ASSERT
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^recursion\/self\.flow\.json:2:69: warning: This subflow leads back to this flow \(self\.flow\.json → self\.flow\.json\).*\[recursive-subflow\]$/m);
  });

  it('refuses a flow file that is a symlink to /dev/zero, an import that is one, and a file over 5 MiB, without hanging', async () => {
    // ARRANGE
    const name = await folder('devices', {
      'imports-zero.flow.json': ['{ "version": 1, "id": "imports-zero", "imports": ["./zero.node.ts"],', NODES],
    });
    await symlink('/dev/zero', join(hardened, name, 'zero.flow.json'));
    await symlink('/dev/zero', join(hardened, name, 'zero.node.ts'));
    await writeFile(join(hardened, name, 'huge.flow.json'), '');
    await truncate(join(hardened, name, 'huge.flow.json'), 5 * 1024 * 1024 + 1);
    // ACT
    const result = await runCli(['validate', name], { cwd: hardened });
    // ASSERT
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines.find((l) => l.startsWith(`${name}/zero.flow.json:`))).toMatch(/it is a device, and Weft reads only regular files \[load-error\]$/);
    expect(lines.find((l) => l.startsWith(`${name}/imports-zero.flow.json:`))).toMatch(/it is a device, and Weft reads only regular files \[load-error\]$/);
    expect(lines.find((l) => l.startsWith(`${name}/huge.flow.json:`))).toMatch(/is larger than 5 MiB, the most Weft reads as a flow or module \[file-too-large\]$/);
  });
});

describe('weft validate: secrets not set (issue 9, defect 4)', () => {
  it('warns missing-secret at each secrets.NAME the environment does not set, and exits 0', async () => {
    // ARRANGE: TOKEN is read twice, HOOK by the webhook; only HOOK is set (and EMPTY is set but empty).
    const text = [
      '{',
      '  "version": 1, "id": "reads-secrets",',
      '  "triggers": [{ "type": "webhook", "secret": "{{ secrets.HOOK }}" }],',
      '  "nodes": [',
      '    { "id": "a", "type": "transform", "config": { "output": "Bearer {{ secrets.TOKEN }}" } },',
      '    { "id": "b", "type": "transform", "config": { "output": "{{ secrets.TOKEN }} {{ secrets.EMPTY }}" } }',
      '  ],',
      '  "edges": [{ "from": "a", "to": "b" }]',
      '}',
    ].join('\n');
    await writeFile(join(dir, 'reads-secrets.flow.json'), text);
    const lines = text.split('\n');
    const at = (line: number, needle: string): string => `reads-secrets.flow.json:${line + 1}:${lines[line].indexOf(needle) + 1}`;

    // ACT
    const run = await runCli(['validate', 'reads-secrets.flow.json'], { cwd: dir, env: { HOOK: 'set', EMPTY: '' } });
    const json = await runCli(['validate', '--json', 'reads-secrets.flow.json'], { cwd: dir, env: { HOOK: 'set', EMPTY: '' } });
    const allSet = await runCli(['validate', 'reads-secrets.flow.json'], { cwd: dir, env: { HOOK: 'h', TOKEN: 't', EMPTY: 'e' } });

    // ASSERT
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const warnings = run.stdout.split('\n').filter((line) => line.includes('[missing-secret]'));
    expect(warnings).toEqual([
      `${at(4, 'secrets.TOKEN')}: warning: Secret 'TOKEN' is not set. Set the environment variable TOKEN. [missing-secret]`,
      `${at(5, 'secrets.TOKEN')}: warning: Secret 'TOKEN' is not set. Set the environment variable TOKEN. [missing-secret]`,
      `${at(5, 'secrets.EMPTY')}: warning: Secret 'EMPTY' is not set. Set the environment variable EMPTY. [missing-secret]`,
    ]);
    const [result] = parseJsonOutput<ValidateJson[]>(json);
    expect(result.diagnostics.filter((d) => d.code === 'missing-secret').map((d) => [d.severity, d.range.start.line])).toEqual([
      ['warning', 4],
      ['warning', 5],
      ['warning', 5],
    ]);
    expect(allSet.stdout).toContain('0 errors, 0 warnings');
  });
});

describe('weft validate and weft test: typed templates (issue 14)', () => {
  let typed: string;
  let removeTyped: () => Promise<void>;
  const lines = [
    '{ "version": 1, "id": "typed",',
    '  "inputs": { "type": "object", "properties": { "name": { "type": "string" } }, "required": ["name"] },',
    '  "nodes": [',
    '    { "id": "lookup", "type": "transform", "config": { "output": { "name": "{{ trigger.name }}", "email": "x@y.test" } } },',
    '    { "id": "use", "type": "transform", "config": { "output": "{{ nodes.lookup.nmae }} {{ input.name * 2 }}" } }',
    '  ],',
    '  "edges": [{ "from": "lookup", "to": "use" }],',
    '  "tests": [{ "name": "greets", "input": { "name": "Ada" }, "expect": { "status": "completed" } }]',
    '}',
  ];
  const at = (line: number, needle: string): string => `typed.flow.json:${line + 1}:${lines[line].indexOf(needle) + 1}`;

  beforeAll(async () => {
    ({ dir: typed, remove: removeTyped } = await makeWorkspace('validate-types'));
    await writeFile(join(typed, 'typed.flow.json'), lines.join('\n'));
  });

  afterAll(async () => {
    await removeTyped?.();
  });

  it('prints a misspelt property and arithmetic on a string at file:line:col with their codes, and exits 1', async () => {
    // ACT
    const result = await runCli(['validate', 'typed.flow.json'], { cwd: typed });

    // ASSERT
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.includes(': error: '));
    expect(errors).toEqual([
      `${at(4, 'nmae')}: error: Property 'nmae' does not exist on nodes.lookup ({ name, email }). Did you mean 'name'? [unknown-property]`,
      `${at(4, 'input.name * 2')}: error: Cannot multiply with input.name: it is string, not a number; number(x) reads a number from text [type-mismatch]`,
    ]);
  });

  it('weft test refuses the flow with the same diagnostics', async () => {
    const result = await runCli(['test', 'typed.flow.json'], { cwd: typed });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain(`${at(4, 'nmae')}: error: Property 'nmae' does not exist`);
    expect(result.stdout).toContain('[type-mismatch]');
  });
});
