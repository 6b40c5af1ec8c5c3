// Builds every entry point with its own esbuild context (`--watch` keeps them watching). The engine, the CLI
// and the benchmark are CommonJS bundles for Node, with every dependency bundled in: .flow.ts files are loaded
// with sucrase (plain JavaScript), so nothing is needed from node_modules at run time.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { sandboxChildContextOptions } from './scripts/sandboxChildBuild.mjs';

const watch = process.argv.includes('--watch');
// --production: minified, no source maps (the .vsix); otherwise linked source maps for debugging.
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  external: [],
  logLevel: 'warning',
  legalComments: 'none',
  mainFields: ['module', 'main'],
};

const entries = [
  { ...node, entryPoints: ['src/weft.ts'], outfile: 'dist/index.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  // The same command under the name the debug adapter executable runs (`node dist/weft.js dap`): loads cli.js.
  { ...node, entryPoints: ['src/cli/weftBin.ts'], outfile: 'dist/weft.js', external: ['./cli.js'] },
  { ...node, entryPoints: ['src/worker/runWorker.ts'], outfile: 'dist/runWorker.js' },
  // The VS Code extension: `vscode` is provided by the extension host.
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: [...node.external, 'vscode'] },
  ...webviewEntries(),
  // Not in the .vsix: the production build (npm run package) leaves the benchmarks and the tests alone.
  ...(production ? [] : [...benchEntries(), ...realVsCodeTestEntries()]),
];

function benchEntries() {
  return [
    { ...node, entryPoints: ['test/bench/bench.ts'], outfile: 'dist/bench.js' },
    { ...node, entryPoints: ['test/bench/benchServe.ts'], outfile: 'dist/benchServe.js' },
    { ...node, entryPoints: ['test/bench/benchExtension.ts'], outfile: 'dist/benchExtension.js' },
    { ...node, entryPoints: ['test/bench/benchQueue.ts'], outfile: 'dist/benchQueue.js' },
    { ...node, entryPoints: ['test/bench/benchEvents.ts'], outfile: 'dist/benchEvents.js' },
    { ...node, entryPoints: ['test/bench/benchStats.ts'], outfile: 'dist/benchStats.js' },
    { ...node, entryPoints: ['test/bench/benchDebug.ts'], outfile: 'dist/benchDebug.js' },
  ];
}

// The webviews (webview/<app>/main.tsx): one browser bundle each, dist/webview/<app>.js plus the .css of what it
// imports (the codicons, the shared theme, xyflow's styles). React is bundled in; nothing is loaded from the network.
function webviewEntries() {
  const apps = existsSync('webview') ? readdirSync('webview').filter((name) => existsSync(`webview/${name}/main.tsx`)) : [];
  if (apps.length === 0) return [];
  return [
    {
      entryPoints: Object.fromEntries(apps.map((app) => [app, `webview/${app}/main.tsx`])),
      outdir: 'dist/webview',
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: ['chrome120'],
      jsx: 'automatic',
      sourcemap: production ? false : 'linked',
      // Always minified: a third of the bytes to load and parse when a panel opens (source maps still map it).
      minify: true,
      // React's production build even in development: the timeline's latency budget is measured on this bundle.
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
      legalComments: 'none',
      // The codicon font (icons in every webview): a file next to the bundles, dist/webview/codicon.ttf, that the
      // inlined CSS points at through the webview's resource URI (src/extension/webviews/webviewHtml.ts).
      loader: { '.svg': 'dataurl', '.ttf': 'file' },
      assetNames: '[name]',
    },
  ];
}

// The tests that run in a real VS Code (test/vscode/runExtensionTests.mjs, `npm run test:vscode`), into out/:
// - out/test/vscode/index.js and *.test.js: mocha inside the extension host (`vscode` and `mocha` are resolved
//   there, at run time, from the extension folder's node_modules);
// - out/test/harness/runVsCode.mjs: starts code-server and Chromium (ESM for the .mjs runners);
// - out/test/e2e/*.e2e.mjs: playwright scenarios driving the workbench.
function realVsCodeTestEntries() {
  const suiteDir = 'test/vscode/suite';
  const e2eDir = 'test/e2e';
  const tests = (dir, suffix) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(suffix)) : []);
  const suite = { index: `${suiteDir}/index.ts` };
  for (const name of tests(suiteDir, '.test.ts')) suite[name.slice(0, -'.ts'.length)] = `${suiteDir}/${name}`;
  const esm = { ...node, format: 'esm', packages: 'external', outExtension: { '.js': '.mjs' }, sourcemap: 'inline' };
  if (!existsSync(suite.index)) return [];
  // Start from an empty out/test: the suite runs every *.test.js there, and a deleted test must not live on.
  rmSync('out/test', { recursive: true, force: true });
  return [
    { ...node, entryPoints: suite, outdir: 'out/test/vscode', external: ['vscode', 'mocha'], sourcemap: 'inline' },
    { ...esm, entryPoints: { runVsCode: 'test/vscode/runVsCode.ts' }, outdir: 'out/test/harness' },
    ...(tests(e2eDir, '.e2e.ts').length > 0
      ? [{ ...esm, entryPoints: tests(e2eDir, '.e2e.ts').map((name) => `${e2eDir}/${name}`), outdir: 'out/test/e2e' }]
      : []),
  ];
}

// The code sandbox's child (src/engine/sandbox/sandboxChild.ts) first: it is written, as a string, into
// sandboxChildSource.ts, which the bundles below import (see scripts/sandboxChildBuild.mjs).
const childContext = await esbuild.context(sandboxChildContextOptions);
if (!watch) await childContext.rebuild();

const contexts = [...(watch ? [childContext] : []), ...(await Promise.all(entries.map((options) => esbuild.context(options))))];
if (!watch) await childContext.dispose();
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
