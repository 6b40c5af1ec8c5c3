// The extension-host test entry (`extensionTestsPath`): VS Code requires this module inside its extension host and
// calls run(); the promise's outcome becomes codeAutomationExit(0 | 1) in the browser, which
// test/vscode/runExtensionTests.mjs turns into its exit code. Mocha's output goes through console.log, which the
// workbench forwards to codeAutomationLog, so the runner prints it as it arrives: each reporter line carries
// MOCHA_LINE_PREFIX, which tells it apart from the workbench's own log (kept for failure reports only). In a
// desktop VS Code (`npm run test:electron`) the lines go to stdout as they are.
//
// Built by esbuild.mjs into out/test/vscode/index.js next to the compiled *.test.js files; `mocha` and `vscode`
// stay external and resolve from the extension folder at run time.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Must match test/vscode/runExtensionTests.mjs. */
const MOCHA_LINE_PREFIX = '[mocha] ';

export function run(): Promise<void> {
  if (vscode.env.uiKind === vscode.UIKind.Web) {
    // One prefixed string per line, so the runner can pick mocha's report out of the workbench's log.
    Mocha.reporters.Base.consoleLog = (...data: unknown[]): void => {
      for (const line of format(...data).split('\n')) console.log(MOCHA_LINE_PREFIX + line);
    };
  }
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // The workbench log has no terminal behind it: escape codes would arrive as garbage.
    color: false,
    // One real VS Code for the whole suite: cases wait on the workbench's state, and the limit only ends a hung one
    // (CI shares its 2 cores with whatever else runs).
    timeout: 120_000,
    slow: 5_000,
  });
  // Filter with MOCHA_GREP (passed through the server's environment) to run a subset while iterating.
  if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
  for (const name of readdirSync(__dirname).filter((file) => file.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, name));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed.`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
