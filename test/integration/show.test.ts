// `weft show` of a run whose record file was damaged or written by something else: the file is named, no stack.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, copyInto, FIXTURES_DIR, makeWorkspace, parseJsonOutput, runCli } from './runCli';

let dir: string;
let remove: () => Promise<void>;
let runId: string;
let recordFile: string;
let goodRecord: string;

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('show'));
  await copyInto(dir, FIXTURES_DIR, ['typed-input.flow.json']);
  const result = await runCli(['run', 'typed-input.flow.json', '--json', '--input', '{"email":"one@a.test","count":1}'], { cwd: dir });
  runId = parseJsonOutput<{ id: string }>(result).id;
  recordFile = join('.weft', 'runs', `${runId}.json`);
  goodRecord = await readFile(join(dir, recordFile), 'utf8');
});

afterAll(async () => {
  await remove?.();
});

describe('weft show of a bad run file', () => {
  it.each([
    ['corrupt JSON', '{"id": "half a rec', /is not valid JSON/],
    ['JSON that is not an object', '[1, 2]', /is not a Weft run record: it holds an array, not an object\./],
    ['a foreign record', '{"id": "x", "nodes": {"a": 7}}', /is not a Weft run record: "flowId" is not a string\./],
    ['a node without a status', JSON.stringify({ ...JSON.parse('{"id":"x","flowId":"f","status":"completed"}'), nodes: { a: {} } }), /node "a" has no status/],
  ])('%s: names the file, exits 1, prints no stack', async (_what, content, reason) => {
    // ARRANGE
    await writeFile(join(dir, recordFile), content);
    // ACT
    const [text, json] = await Promise.all([runCli(['show', runId], { cwd: dir }), runCli(['show', runId.slice(0, 8), '--json'], { cwd: dir })]);
    // ASSERT
    for (const result of [text, json]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`weft show: `);
      expect(result.stderr).toContain(recordFile);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(result.stdout).toBe('');
    }
  });

  it('still shows a good record', async () => {
    await writeFile(join(dir, recordFile), goodRecord);
    const result = await runCli(['show', runId], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${runId}  typed-input  completed`);
  });
});
