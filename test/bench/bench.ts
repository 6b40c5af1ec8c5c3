// `npm run bench`: the engine's cost per node on the shapes of issue 2, beside a minimal hand-written scheduler
// (topological order, awaited async functions, a timeout per node) measured in the same process, and the
// ratios the budget is stated in. Events (a subscriber that keeps them) and the run record are included;
// history writes are not. Prints a table; never fails on numbers: read them.

import { spawnSync } from 'node:child_process';
import { compileFlow } from '../../src/engine/model/compileFlow';
import type { CompiledFlow } from '../../src/engine/model/compiledFlow';
import type { EngineEvent } from '../../src/engine/run/events';
import { runFlow } from '../../src/api/runFlow';
import { compileExpression } from '../../src/engine/expr/evaluate';
import { parseExpression } from '../../src/engine/expr/parser';
import type { Scope } from '../../src/engine/expr/scope';
import { chainFlow, fanOutFlow, layeredDagFlow, loopFlow, type FlowShape } from './shapes';
import { baselineRun } from './baselineScheduler';

interface Measurement {
  shape: string;
  nodes: number;
  engineUsPerNode: number;
  baselineUsPerNode: number;
}

function compile(definition: object): CompiledFlow {
  const result = compileFlow(definition);
  if (!result.flow) throw new Error(`bench flow does not compile: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return result.flow;
}

async function timeEngineOnce(flow: CompiledFlow): Promise<number> {
  const events: EngineEvent[] = [];
  const t0 = performance.now();
  const record = await runFlow(flow, { history: false, onEvent: (e) => events.push(e) });
  const ms = performance.now() - t0;
  if (record.status !== 'completed') throw new Error(`bench run ${record.status}: ${record.error?.message}`);
  return ms;
}

async function timeBaselineOnce(shape: FlowShape): Promise<number> {
  const t0 = performance.now();
  await baselineRun(shape);
  return performance.now() - t0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(name: string, shape: FlowShape, runs: number): Promise<Measurement> {
  const flow = compile(shape.definition);
  for (let i = 0; i < 3; i++) {
    // warm up the JIT
    await timeEngineOnce(flow);
    await timeBaselineOnce(shape);
  }
  // Interleaved, so both see the same load on a shared machine and the ratio stays meaningful.
  const engineSamples: number[] = [];
  const baselineSamples: number[] = [];
  for (let i = 0; i < runs; i++) {
    engineSamples.push(await timeEngineOnce(flow));
    baselineSamples.push(await timeBaselineOnce(shape));
  }
  const engine = median(engineSamples);
  const baseline = median(baselineSamples);
  return {
    shape: name,
    nodes: shape.executions,
    engineUsPerNode: (engine * 1000) / shape.executions,
    baselineUsPerNode: (baseline * 1000) / shape.executions,
  };
}

async function latency(runs: number): Promise<{ firstEventUs: number; firstNodeUs: number; endUs: number; baselineFirstUs: number }> {
  const shape = chainFlow(5);
  const flow = compile(shape.definition);
  const first: number[] = [];
  const firstNode: number[] = [];
  const end: number[] = [];
  const baselineFirst: number[] = [];
  for (let i = 0; i < runs + 50; i++) {
    let tb = 0;
    const tb0 = performance.now();
    await baselineRun(shape, () => {
      tb = performance.now();
    });
    let t1 = 0;
    let tNode = 0;
    const t0 = performance.now();
    await runFlow(flow, {
      history: false,
      onEvent: (e) => {
        if (t1 === 0) t1 = performance.now();
        if (tNode === 0 && e.type === 'node.started') tNode = performance.now();
      },
    });
    const t2 = performance.now();
    if (i < 50) continue; // warm-up
    baselineFirst.push((tb - tb0) * 1000);
    first.push((t1 - t0) * 1000);
    firstNode.push((tNode - t0) * 1000);
    end.push((t2 - t0) * 1000);
  }
  return { firstEventUs: median(first), firstNodeUs: median(firstNode), endUs: median(end), baselineFirstUs: median(baselineFirst) };
}

function peakRssOfDag(): number | undefined {
  // A fresh process, so the peak belongs to the 2,000-node run alone.
  const child = spawnSync(process.execPath, [__filename, '--rss-child'], { encoding: 'utf8' });
  const match = /maxRssMb=([\d.]+)/.exec(child.stdout);
  return match ? Number(match[1]) : undefined;
}

async function rssChild(): Promise<void> {
  const flow = compile(layeredDagFlow(20, 100).definition);
  await runFlow(flow, { history: false, onEvent: () => undefined });
  console.log(`maxRssMb=${(process.resourceUsage().maxRSS / 1024).toFixed(1)}`);
}

/**
 * The expression hot path: `nodes.a.b + 1` compiled once and evaluated `runs` times, beside the same sum written
 * as a JavaScript closure. A change that makes evaluation allocate or walk the tree shows in the ratio. (It was a
 * unit test that timed nothing; a benchmark is where a number is read.)
 */
function expressionCost(runs: number): { weftNs: number; closureNs: number } {
  const scope: Scope = {
    trigger: {},
    input: {},
    nodes: { a: { b: 41 } },
    variables: {},
    secrets: {},
    execution: { id: 'r', flowId: 'f', startedAt: '2024-01-01T00:00:00.000Z', trigger: { type: 'manual' } },
  };
  const weft = compileExpression(parseExpression('nodes.a.b + 1'));
  const closure = (s: Scope): unknown => ((s.nodes as { a: { b: number } }).a.b + 1) as unknown;
  const time = (evaluate: (s: Scope) => unknown): number => {
    for (let i = 0; i < runs / 10; i++) evaluate(scope); // let the JIT settle first
    let total = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) total += evaluate(scope) as number;
    const ns = Number(process.hrtime.bigint() - started) / runs;
    // A number for a wrong answer is worth nothing.
    if (total !== 42 * runs) throw new Error(`nodes.a.b + 1 summed to ${total} over ${runs} runs, not ${42 * runs}`);
    return ns;
  };
  return { weftNs: time(weft), closureNs: time(closure) };
}

/**
 * Issue 14: what the type checks add to compiling a 1,000-node flow from its text (as the editor does on each
 * edit): a chain whose nodes read properties of the node before, of the trigger and of the input, with an
 * `if` and a `merge` every 50 nodes. Median of `runs` compiles with the checks, and without.
 */
function typeCheckCost(runs: number): { withMs: number; withoutMs: number; checksMs: number } {
  const nodes: object[] = [];
  const edges: object[] = [];
  for (let i = 0; i < 1000; i++) {
    const id = `n${i}`;
    const before = `n${i - 1}`;
    if (i > 0 && i % 50 === 0) {
      nodes.push({ id, type: 'if', config: { condition: `{{ nodes.${before}.total > 10 && trigger.tier == 'pro' }}` } });
    } else if (i > 1 && (i - 1) % 50 === 0) {
      nodes.push({ id, type: 'merge', config: {} });
    } else {
      const read = i === 0 ? 'trigger' : i > 50 && i % 50 === 2 ? `input.n${i - 2}` : `nodes.${before}`;
      nodes.push({
        id,
        type: 'transform',
        config: { output: { id: `{{ ${read}.id ?? trigger.id }}`, total: `{{ ${read}.total + 1 }}`, label: `#{{ ${read}.id }} for {{ upper(trigger.name) }}` } },
      });
    }
    if (i > 0) edges.push({ from: before, to: id, ...(i > 1 && i % 50 === 1 ? { port: 'true' } : {}) });
  }
  const text = JSON.stringify(
    {
      version: 1,
      id: 'typed-1000',
      inputs: { type: 'object', properties: { id: { type: 'string' }, total: { type: 'number' }, name: { type: 'string' }, tier: { type: 'string' } } },
      nodes,
      edges,
    },
    null,
    2,
  );
  const check = compileFlow(text);
  if (!check.flow || check.diagnostics.length > 0) throw new Error(`typed bench flow: ${JSON.stringify(check.diagnostics.slice(0, 3))}`);
  // CPU time of this process: the machine the benchmark runs on is shared, and wall time counts the others.
  const checks: number[] = [];
  const cpuMs = (checkTypes: boolean): number => {
    const t0 = process.cpuUsage();
    compileFlow(text, checkTypes ? { checkTypes, onTypeCheckCpu: (ms) => checks.push(ms) } : { checkTypes });
    const spent = process.cpuUsage(t0);
    return (spent.user + spent.system) / 1000;
  };
  for (let r = 0; r < 3; r++) {
    cpuMs(true);
    cpuMs(false);
  }
  checks.length = 0;
  // Alternated compile by compile, so a slower moment of a shared machine falls on both alike.
  const withChecks: number[] = [];
  const without: number[] = [];
  for (let r = 0; r < runs * 3; r++) {
    without.push(cpuMs(false));
    withChecks.push(cpuMs(true));
  }
  return { withMs: median(withChecks), withoutMs: median(without), checksMs: median(checks) };
}

function printTypeCheckCost(runs: number): void {
  const types = typeCheckCost(runs);
  console.log(
    `type checks, 1,000-node flow (CPU time): compile ${types.withoutMs.toFixed(1)} ms without, ${types.withMs.toFixed(1)} ms with, +${(((types.withMs - types.withoutMs) / types.withoutMs) * 100).toFixed(0)}% (target < 30%; editor diagnostics after an edit < 50 ms)`,
  );
  // The checks' own time, inside the compile: the difference above also holds the garbage collections their
  // allocations bring forward, which fall on one compile or another (docs/decisions.md, "Cost of the type checks").
  console.log(
    `  the checks alone (median, inside the compile): ${types.checksMs.toFixed(1)} ms, ${((types.checksMs / types.withoutMs) * 100).toFixed(0)}% of the compile without them`,
  );
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits).padStart(8);

async function main(): Promise<void> {
  if (process.argv.includes('--rss-child')) return rssChild();
  const quick = process.argv.includes('--quick');
  if (process.argv.includes('--types')) return printTypeCheckCost(quick ? 5 : 15);
  const runs = quick ? 5 : 21;
  console.log(`Weft engine benchmark · node ${process.version} · ${runs} runs per shape, median\n`);

  const rows: Measurement[] = [];
  rows.push(await measure('chain 1,000', chainFlow(1000), runs));
  rows.push(await measure('chain 4,000', chainFlow(4000), runs));
  rows.push(await measure('fan-out 1,000 + merge', fanOutFlow(1000), runs));
  rows.push(await measure('loop 10,000 items', loopFlow(10_000), runs));
  rows.push(await measure('layered DAG 20×100', layeredDagFlow(20, 100), runs));

  console.log('shape                     nodes   weft µs/node  baseline µs/node  weft/baseline  budget 10 µs');
  for (const r of rows) {
    const ok = r.engineUsPerNode <= 10 ? 'ok' : 'OVER';
    console.log(
      `${r.shape.padEnd(24)} ${String(r.nodes).padStart(6)}  ${fmt(r.engineUsPerNode)}      ${fmt(r.baselineUsPerNode)}        ${fmt(r.engineUsPerNode / r.baselineUsPerNode, 1)}×      ${ok}`,
    );
  }
  const chain1k = rows[0].engineUsPerNode;
  const chain4k = rows[1].engineUsPerNode;
  console.log(`\nscaling: per-node cost at 4,000 / at 1,000 nodes = ${(chain4k / chain1k).toFixed(2)} (budget ≤ 2)`);

  const rss = peakRssOfDag();
  console.log(`memory: layered DAG 20×100 peak RSS = ${rss === undefined ? 'n/a' : `${rss.toFixed(1)} MB`} (budget < 150 MB)`);

  const lat = await latency(quick ? 50 : 500);
  console.log(
    `latency, 5-step chain: first event ${lat.firstEventUs.toFixed(1)} µs (execution.started), first node.started ${lat.firstNodeUs.toFixed(1)} µs (budget 50), end ${lat.endUs.toFixed(1)} µs (budget 100)`,
  );

  const loopRow = rows.find((r) => r.shape.startsWith('loop'))!;
  console.log('\nissue 10 targets:');
  console.log(`  loop per-item cost, weft / baseline = ${(loopRow.engineUsPerNode / loopRow.baselineUsPerNode).toFixed(2)}× (target ≤ 1.5×)`);
  console.log(
    `  first event of a 5-step chain: weft ${lat.firstEventUs.toFixed(1)} µs, baseline (first node starts) ${lat.baselineFirstUs.toFixed(1)} µs, weft / baseline = ${(lat.firstEventUs / lat.baselineFirstUs).toFixed(1)}× (target ≤ 3 µs)\n`,
  );

  printTypeCheckCost(quick ? 5 : 15);

  const expr = expressionCost(quick ? 100_000 : 1_000_000);
  console.log(
    `expression nodes.a.b + 1: ${expr.weftNs.toFixed(1)} ns/op, a JavaScript closure ${expr.closureNs.toFixed(1)} ns/op, weft/closure ${(expr.weftNs / expr.closureNs).toFixed(1)}×`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
