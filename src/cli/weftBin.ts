// dist/weft.js: the `weft` command under the name the editor's debug adapter launches (`node dist/weft.js dap`).
// It loads dist/cli.js at run time instead of bundling the CLI a second time into the .vsix.

interface CliModule {
  runAsProcess(): void;
}

// A run-time require of the sibling bundle (kept external in esbuild.mjs), not an import of a source module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = require('./cli.js') as CliModule;
cli.runAsProcess();
