#!/usr/bin/env node
// The `weft` command (spec section 12).

import { parseArgs } from 'node:util';
import { closeSharedCodeSandbox } from '../api/sharedSandbox';
import { WeftError } from '../engine/errors';
import { generateFlowJsonSchema } from '../engine/model/generateJsonSchema';
import { createDefaultRegistry } from '../engine/nodes/builtins';
import { dapCommand } from './commands/dapCommand';
import { exportCommand } from './commands/exportCommand';
import { historyCommand } from './commands/historyCommand';
import { statsCommand } from './commands/statsCommand';
import { feedbackCommand } from './commands/feedbackCommand';
import { resumeCommand, runCommand } from './commands/runCommand';
import { serveCommand } from './commands/serveCommand';
import { retryCommand, statusCommand } from './commands/statusCommand';
import { workerCommand } from './commands/workerCommand';
import { showCommand } from './commands/showCommand';
import { testCommand } from './commands/testCommand';
import { validateCommand } from './commands/validateCommand';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliOptions, UsageError } from './cliTypes';
import { err, out } from './terminal';

const USAGE = `Usage: weft <command> [options]

Commands:
  run <file>                 run a flow once            [--input JSON | --input-file F] [--json] [--no-history]
  resume <runId>             resume a run, or re-run it from a node      [--from <nodeId>] [--json]
  validate [files|dirs...]   compile flows and print diagnostics          [--json]
  test [files|dirs...]       run the flows' in-file tests                 [--filter TEXT]
  history                    list recorded runs, newest first  [--flow ID] [--status S] [--limit N] [--tests] [--json]
                             (test runs are listed only with --tests)
  show <runId>               print one recorded run                       [--json]
  stats                      per-flow and per-node figures over recorded runs
                             [--flow ID] [--since 7d | 24h | 30m | 2026-11-30] [--tests] [--json]
  feedback <runId> <nodeId>  mark a node's output of a recorded run   --correct | --incorrect
                             [--category C] [--note N] [--expected JSON]; or --make-test [--name N]: add it as
                             a test case of the run's .flow.json
  feedback --export jsonl    print the evaluation set (one judged node a line)   [--flow ID] [--since 7d]
  serve [dirs or files...]   live mode: webhooks and schedules of the flows under dir (default .)
                             [--port 8787] [--host 127.0.0.1] [--rate-limit N per second per flow, default 100]
                             [--concurrency N runs at once, default 64] [--backlog N runs waiting, default 256]
                             (run API and event stream under /_weft/; token from WEFT_API_TOKEN)
                             [--queue redis://HOST:PORT[/DB]]: enqueue runs for workers (also WEFT_REDIS_URL)
  worker [dirs or files...]  queue mode: run the enqueued runs   --queue URL [--concurrency 5]
  status                     queue mode: counts, workers, dead letter   --queue URL [--json]
  retry <job...>             queue mode: retry dead-letter jobs         --queue URL [--all]
  export <file.flow.json>    write the equivalent typed .flow.ts  [-o file.flow.ts | -o -] [--force]
  schema                     print the JSON Schema of .flow.json files
  dap                        the flow debugger: Debug Adapter Protocol over stdio (launch args: flow, input, ...)

Options:
  --history DIR              where run history lives (default .weft)
  -h, --help                 this text
`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        input: { type: 'string' },
        'input-file': { type: 'string' },
        'no-history': { type: 'boolean' },
        history: { type: 'string' },
        from: { type: 'string' },
        flow: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        filter: { type: 'string' },
        tests: { type: 'boolean' },
        since: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'rate-limit': { type: 'string' },
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        backlog: { type: 'string' },
        all: { type: 'boolean' },
        correct: { type: 'boolean' },
        incorrect: { type: 'boolean' },
        category: { type: 'string' },
        note: { type: 'string' },
        expected: { type: 'string' },
        export: { type: 'string' },
        'make-test': { type: 'boolean' },
        name: { type: 'string' },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    err((error as Error).message);
    err(USAGE);
    return EXIT_USAGE;
  }
  const [command, ...rest] = parsed.positionals;
  const v = parsed.values;
  const options: CliOptions = {
    json: v.json,
    input: v.input,
    inputFile: v['input-file'],
    noHistory: v['no-history'],
    historyDir: v.history,
    from: v.from,
    flow: v.flow,
    status: v.status,
    limit: v.limit,
    filter: v.filter,
    tests: v.tests,
    since: v.since,
  };
  if (v.help || command === undefined || command === 'help') {
    out(USAGE);
    return command === undefined && !v.help ? EXIT_USAGE : EXIT_OK;
  }
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest[0], options);
      case 'resume':
        return await resumeCommand(rest[0], options);
      case 'validate':
        return validateCommand(rest, options);
      case 'test':
        return await testCommand(rest, options);
      case 'history':
        return await historyCommand(options);
      case 'stats':
        if (rest.length > 0) throw new UsageError(`weft stats takes no arguments ('${rest[0]}'): use --flow ID to pick a flow.`);
        return await statsCommand(options);
      case 'show':
        return await showCommand(rest[0], options);
      case 'feedback':
        return await feedbackCommand(rest, {
          ...options,
          correct: v.correct,
          incorrect: v.incorrect,
          category: v.category,
          note: v.note,
          expected: v.expected,
          export: v.export,
          makeTest: v['make-test'],
          name: v.name,
        });
      case 'serve':
        return await serveCommand(rest, { port: v.port, host: v.host, rateLimit: v['rate-limit'], historyDir: v.history, concurrency: v.concurrency, backlog: v.backlog, queue: v.queue });
      case 'worker':
        return await workerCommand(rest, { queue: v.queue, concurrency: v.concurrency });
      case 'status':
        return await statusCommand({ queue: v.queue, json: v.json });
      case 'retry':
        return await retryCommand(rest, { queue: v.queue, json: v.json, all: v.all });
      case 'dap':
        return await dapCommand();
      case 'export':
        return exportCommand(rest, { output: v.output, force: v.force });
      case 'schema':
        out(JSON.stringify(generateFlowJsonSchema(createDefaultRegistry()), null, 2));
        return EXIT_OK;
      default:
        throw new UsageError(`Unknown command '${command}'.\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof WeftError && error.kind === 'user') {
      err(error.message);
      return EXIT_USAGE;
    }
    err(`weft: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT_FAILED;
  }
}

/** Runs the command line of this process and sets its exit code (also the entry of dist/weft.js). */
export function runAsProcess(): void {
  main(process.argv.slice(2)).then(
    async (code) => {
      // Set first: closing the sandbox may leave nothing that keeps the event loop alive, and Node then exits
      // before the next line would run.
      process.exitCode = code;
      await closeSharedCodeSandbox();
    },
    (error: unknown) => {
      err(String(error));
      process.exitCode = EXIT_FAILED;
    },
  );
}

if (require.main === module) runAsProcess();
