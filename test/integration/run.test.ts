// `weft run` as a user runs it: a real process, a real HTTP server, history in the workspace's .weft/.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, sendJson, type LocalServer } from '../support/localServer';
import {
  assertCliBuilt,
  copyInto,
  filesContaining,
  FIXTURES_DIR,
  makeWorkspace,
  parseJsonOutput,
  runCli,
} from './runCli';

interface RunRecordJson {
  id: string;
  flowId: string;
  status: string;
  input: unknown;
  output?: unknown;
  error?: { message: string; nodeId?: string };
  nodes: Record<string, { status: string; attempts: number; output?: unknown; error?: { message: string } }>;
}

interface SummaryJson {
  id: string;
  flowId: string;
  status: string;
}

const TOKEN = 'tok-7Hq2-integration-secret-91xZ';

let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('run'));
  await copyInto(dir, FIXTURES_DIR, [
    'secret-http.flow.json',
    'typed-input.flow.json',
    'fails.flow.json',
    'code-loop.flow.json',
    'code-require.flow.json',
    'code-then-fail.flow.json',
    'validate',
  ]);
});

afterAll(async () => {
  await remove?.();
});

describe('weft run', () => {
  let server: LocalServer;

  beforeAll(async () => {
    // The server echoes the Authorization header back: a record that kept it verbatim would hold the token.
    server = await startLocalServer((request, response) =>
      sendJson(response, 200, { items: [{ id: 1 }, { id: 2 }], echoedAuthorization: request.headers.authorization }),
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  it('sends the request with its query and a header built from a secret, prints the output, and records no secret', async () => {
    // ARRANGE
    const input = JSON.stringify({ baseUrl: server.url, page: 2 });

    // ACT
    const run = await runCli(['run', 'secret-http.flow.json', '--input', input], { cwd: dir, env: { API_TOKEN: TOKEN } });

    // ASSERT: the request
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/items');
    expect(request.query.get('page')).toBe('2');
    expect(request.query.get('tag')).toBe('new');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['x-client']).toBe('weft-it');

    // ASSERT: stdout is the output, and the echoed token is redacted there too
    expect(JSON.parse(run.stdout)).toEqual({ status: 200, count: 2, first: { id: 1 }, echoed: 'Bearer ***' });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);

    // ASSERT: the recorded run
    const history = await runCli(['history', '--json'], { cwd: dir });
    const runs = parseJsonOutput<SummaryJson[]>(history).filter((r) => r.flowId === 'secret-http');
    expect(runs).toHaveLength(1);
    const show = await runCli(['show', runs[0].id, '--json'], { cwd: dir });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).not.toContain(TOKEN);
    const record = parseJsonOutput<RunRecordJson>(show);
    expect(record.status).toBe('completed');
    expect(record.nodes.fetch.output).toMatchObject({ status: 200, body: { echoedAuthorization: 'Bearer ***' } });
    expect(await filesContaining(join(dir, '.weft'), TOKEN)).toEqual([]);
  });

  it('with --json prints the whole run record on stdout and nothing else', async () => {
    // ACT
    const run = await runCli(['run', 'typed-input.flow.json', '--json', '--input', '{"email":"ada@acme.test","count":3}'], { cwd: dir });

    // ASSERT
    expect(run.code, run.stderr).toBe(0);
    const record = parseJsonOutput<RunRecordJson & Record<string, unknown>>(run);
    expect(record).toMatchObject({
      flowId: 'typed-input',
      status: 'completed',
      input: { email: 'ada@acme.test', count: 3 },
      output: { email: 'ada@acme.test', count: 3 },
      nodes: { echo: { status: 'completed', attempts: 1 } },
    });
    expect(record.id).toMatch(/\S/);
    expect(record.startedAt).toEqual(expect.any(String));
    // It is the record history holds, not a summary of it.
    const show = await runCli(['show', record.id, '--json'], { cwd: dir });
    expect(parseJsonOutput(show)).toEqual(record);
  });

  it('exits 1 for a failed run and says why on stderr; with --json the failed record is still the whole stdout', async () => {
    // ACT
    const run = await runCli(['run', 'fails.flow.json', '--input', '{"who":"bob"}'], { cwd: dir });
    const json = await runCli(['run', 'fails.flow.json', '--json', '--input', '{"who":"eve"}'], { cwd: dir });

    // ASSERT
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^stop: Refusing bob$/m);
    expect(json.code).toBe(1);
    const record = parseJsonOutput<RunRecordJson>(json);
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ message: 'Refusing eve', nodeId: 'stop' });
    expect(record.nodes.stop.status).toBe('failed');
  });

  it('says on stderr which node in flight was cancelled when another failed the run', async () => {
    // ARRANGE: `slow` starts first and waits; `stop` then fails the run, which stops `slow` mid-wait.
    await writeFile(
      join(dir, 'cancels.flow.json'),
      JSON.stringify({
        version: 1,
        id: 'cancels',
        nodes: [
          { id: 'slow', type: 'wait', config: { ms: 600000 } },
          { id: 'stop', type: 'fail', config: { message: 'enough' } },
        ],
      }),
    );

    // ACT
    const run = await runCli(['run', 'cancels.flow.json'], { cwd: dir });

    // ASSERT
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^⊘ slow cancelled after /m);
    expect(run.stderr).toMatch(/^stop: enough$/m);
  });

  it('exits 2 with file:line:col diagnostics on stderr for a flow that does not compile, and runs nothing', async () => {
    // ARRANGE
    const runsBefore = await recordedRunFiles(dir);

    // ACT
    const run = await runCli(['run', 'validate/broken.flow.json'], { cwd: dir });

    // ASSERT
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines).toContain("validate/broken.flow.json:7:30: error: Unknown node type 'htpp'. Did you mean 'http'? [unknown-node-type]");
    for (const line of lines.filter((l) => l !== '')) {
      expect(line).toMatch(/^validate\/broken\.flow\.json:\d+:\d+: error: .+ \[[a-z-]+\]$/);
    }
    expect(await recordedRunFiles(dir)).toEqual(runsBefore);
  });

  it('exits 2 with a reason when --input-file names a directory or a pipe, instead of hanging on it', async () => {
    // ARRANGE: a FIFO that no one writes to: reading it the plain way waits forever.
    const fifo = join(dir, 'input.fifo');
    execFileSync('mkfifo', [fifo]);

    // ACT
    const fromPipe = await runCli(['run', 'typed-input.flow.json', '--input-file', fifo], { cwd: dir });
    const fromDirectory = await runCli(['run', 'typed-input.flow.json', '--input-file', dir], { cwd: dir });

    // ASSERT
    expect(fromPipe.code).toBe(2);
    expect(fromPipe.stderr).toMatch(/input file.*a pipe/);
    expect(fromDirectory.code).toBe(2);
    expect(fromDirectory.stderr).toMatch(/input file.*a directory/);
  });

  it('exits 2 when the input does not match the flow inputs, naming the fields, and records no run', async () => {
    // ARRANGE
    const runsBefore = await recordedRunFiles(dir);

    // ACT
    const missing = await runCli(['run', 'typed-input.flow.json', '--input', '{"count":"three"}'], { cwd: dir });
    const tooSmall = await runCli(['run', 'typed-input.flow.json', '--input', '{"email":"a@b.test","count":0}'], { cwd: dir });

    // ASSERT
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/email.*required/);
    expect(missing.stderr).toMatch(/count.*integer/);
    expect(tooSmall.code).toBe(2);
    expect(tooSmall.stderr).toMatch(/count.*>= 1/);
    expect(tooSmall.stderr).not.toMatch(/email/);
    expect(await recordedRunFiles(dir)).toEqual(runsBefore);
  });

  it('exits 2 for a missing file, input that is not JSON, an unknown command and an unknown option', async () => {
    // ACT
    const [missingFile, badJson, unknownCommand, unknownOption, noFile] = await Promise.all([
      runCli(['run', 'no-such.flow.json'], { cwd: dir }),
      runCli(['run', 'typed-input.flow.json', '--input', '{email:'], { cwd: dir }),
      runCli(['frobnicate'], { cwd: dir }),
      runCli(['run', 'typed-input.flow.json', '--frobnicate'], { cwd: dir }),
      runCli(['run'], { cwd: dir }),
    ]);

    // ASSERT
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain('no-such.flow.json');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/not JSON/);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("Unknown command 'frobnicate'");
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("'--frobnicate'");
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('weft run needs a flow file');
    for (const result of [missingFile, badJson, unknownCommand, unknownOption, noFile]) {
      expect(result.stderr).not.toContain('unexpected error');
    }
  });
});

describe('weft run: code nodes in the sandbox', () => {
  it('stops an endless loop at the node timeout: exit 1, the node named, the CLI exits normally', async () => {
    // ACT
    const run = await runCli(['run', 'code-loop.flow.json', '--json'], { cwd: dir });

    // ASSERT
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const record = parseJsonOutput<RunRecordJson>(run);
    expect(record.status).toBe('failed');
    expect(record.error?.nodeId).toBe('spin');
    // The node's own 300 ms limit stopped it, not the 10 s default.
    expect(record.error?.message).toMatch(/(longer than|timed out after) 300 ms/i);

    const plain = await runCli(['run', 'code-loop.flow.json'], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^spin: .*(longer than|timed out after) 300 ms/im);
    expect(plain.stderr).not.toContain('unexpected error');
  });

  it('gives code no require: the node fails with a clear error', async () => {
    // ACT
    const run = await runCli(['run', 'code-require.flow.json'], { cwd: dir });

    // ASSERT
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^sneaky: .*require is not defined/m);
    expect(run.stderr).not.toContain('unexpected error');
  });

  it('exits 1 for a run that fails after a code node completed (the sandbox being idle does not change the exit code)', async () => {
    // ACT
    const run = await runCli(['run', 'code-then-fail.flow.json'], { cwd: dir });

    // ASSERT
    expect(run.stderr).toMatch(/^stop: stop after code$/m);
    expect(run.code).toBe(1);
  });
});

async function recordedRunFiles(workspace: string): Promise<string[]> {
  const runsDir = join(workspace, '.weft', 'runs');
  return existsSync(runsDir) ? (await readdir(runsDir)).sort() : [];
}

describe('weft run: secrets in every encoding (issue 9, defect 3)', () => {
  // A secret with the characters JSON and URLs escape; the http node puts it in the query (percent-encoded) and
  // fails with the URL in its message; a transform nests it 110 levels deep and json()s it (escaped form).
  const SECRET = 'AbC+dE/fGh==q"u\\ote';

  it('prints and records the secret in no form: raw, JSON-escaped, percent-encoded or deep', async () => {
    // ARRANGE
    let deep: unknown = { token: '{{ secrets.LEAKY_TOKEN }}', json: '{{ json({ t: secrets.LEAKY_TOKEN }) }}' };
    for (let i = 0; i < 110; i++) deep = { d: deep };
    const flow = {
      version: 1,
      id: 'leaky',
      nodes: [
        { id: 'deep', type: 'transform', config: { output: deep } },
        { id: 'call', type: 'http', config: { url: 'http://127.0.0.1:1/items', query: { key: '{{ secrets.LEAKY_TOKEN }}' } } },
      ],
      edges: [{ from: 'deep', to: 'call' }],
    };
    await writeFile(join(dir, 'leaky.flow.json'), JSON.stringify(flow));
    const forms = [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET), new URLSearchParams({ k: SECRET }).toString().slice(2)];

    // ACT
    const run = await runCli(['run', 'leaky.flow.json'], { cwd: dir, env: { LEAKY_TOKEN: SECRET } });
    const json = await runCli(['run', 'leaky.flow.json', '--json'], { cwd: dir, env: { LEAKY_TOKEN: SECRET } });

    // ASSERT: the run got as far as the failing request, and said so
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^call: .*\*\*\*/m);
    const record = parseJsonOutput<RunRecordJson>(json);
    expect(record.nodes.deep.status).toBe('completed');
    expect(record.nodes.call.status).toBe('failed');
    // ASSERT: no form of the secret anywhere it could be read
    for (const form of forms) {
      expect(run.stdout + run.stderr).not.toContain(form);
      expect(json.stdout + json.stderr).not.toContain(form);
      expect(await filesContaining(join(dir, '.weft'), form)).toEqual([]);
    }
  });
});

describe('weft run: a secret that is not set (issue 9, defect 4)', () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, { items: [] }));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('fails before any node runs, names the secret, sends no request and records the failed run', async () => {
    // ACT: API_TOKEN is not in the environment (runCli passes only what it is given)
    const run = await runCli(['run', 'secret-http.flow.json', '--input', JSON.stringify({ baseUrl: server.url })], { cwd: dir, env: {} });
    const json = await runCli(['run', 'secret-http.flow.json', '--json', '--input', JSON.stringify({ baseUrl: server.url })], { cwd: dir, env: { API_TOKEN: '' } });

    // ASSERT
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Secret 'API_TOKEN' (read by 'fetch') is not set");
    expect(server.requests).toHaveLength(0);
    const record = parseJsonOutput<RunRecordJson & { error: { code?: string } }>(json);
    expect(json.code).toBe(1);
    expect(record.status).toBe('failed');
    expect(record.error.code).toBe('missing-secret');
    expect(record.nodes.fetch.status).toBe('pending');
  });
});
