// Builds every entry point with its own esbuild context (`--watch` keeps them watching). The engine, the CLI
// and the benchmark are CommonJS bundles for Node; esbuild itself stays external because it ships a native
// binary and is needed at run time to load .flow.ts files.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: ['esbuild'],
  logLevel: 'warning',
  legalComments: 'none',
  mainFields: ['module', 'main'],
};

const entries = [
  { ...node, entryPoints: ['src/weft.ts'], outfile: 'dist/index.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['src/worker/runWorker.ts'], outfile: 'dist/runWorker.js' },
  { ...node, entryPoints: ['test/bench/bench.ts'], outfile: 'dist/bench.js' },
];

const contexts = await Promise.all(entries.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching');
} else {
  try {
    await Promise.all(contexts.map((context) => context.rebuild()));
  } finally {
    await Promise.all(contexts.map((context) => context.dispose()));
  }
}
