// Is the suite reliable? Runs `npm test` several times in a row (default 5) in a fresh clone of this repository
// (its committed HEAD, installed from scratch by the first `npm test`), optionally beside a CPU hog, and says how
// each run ended and how long it took. Exits 1 if any run failed. Nothing is left behind unless --keep.
//
//   node scripts/soak.mjs [--runs 5] [--hog] [--here] [--keep]
//
//   --hog    a `node -e "for(;;){}"` spins beside the suite the whole time (CI shares its cores)
//   --here   run in this checkout instead of a fresh clone (quicker; not what a new user has)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    hog: { type: 'boolean', default: false },
    here: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs is a whole number above 0.');
  process.exit(2);
}

const scratch = args.here ? undefined : mkdtempSync(join(tmpdir(), 'weft-soak-'));
const checkout = scratch ? join(scratch, 'weft') : root;
if (scratch) {
  console.error(`[soak] cloning ${root} into ${checkout}`);
  execFileSync('git', ['clone', '--quiet', root, checkout], { stdio: 'inherit' });
}

const hog = args.hog ? spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }) : undefined;
if (hog) console.error(`[soak] CPU hog running (pid ${hog.pid})`);
const cleanUp = () => {
  hog?.kill('SIGKILL');
  if (scratch && !args.keep) rmSync(scratch, { recursive: true, force: true });
};
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const results = [];
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  console.error(`\n[soak] npm test, run ${run} of ${runs}${hog ? ' (beside a CPU hog)' : ''}`);
  const code = await new Promise((done) => {
    const child = spawn('npm', ['test'], { cwd: checkout, stdio: 'inherit' });
    child.once('exit', (exitCode, signal) => done(exitCode ?? (signal ? 1 : 0)));
  });
  results.push({ run, code, seconds: (Date.now() - started) / 1000 });
  console.error(`[soak] run ${run}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const failed = results.filter((r) => r.code !== 0);
console.error(`\n[soak] ${results.length - failed.length} of ${results.length} runs passed${hog ? ' beside a CPU hog' : ''}:`);
for (const r of results) console.error(`  run ${r.run}: ${r.code === 0 ? 'passed' : 'FAILED'}  ${r.seconds.toFixed(0)} s`);
if (scratch && args.keep) console.error(`[soak] the clone is kept in ${checkout}`);
process.exitCode = failed.length === 0 ? 0 : 1;
