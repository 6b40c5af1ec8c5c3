// Packages the extension as users get it and checks the promise of issue 3: a .vsix bundled by esbuild, with no
// node_modules inside, under 5 MB, holding every bundle it runs (the extension, the run worker, the CLI that live
// mode starts, the webviews). Rebuilds the development bundles afterwards (packaging minifies dist/).
//
// The package it checks is written to a temporary folder and deleted there: `weft-<version>.vsix` in the repository
// is the one `npm start` and `npm run package` made for the user to install, and this check never touches it.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { version } = manifest;
const LIMIT = 5 * 1024 * 1024;

// `npm run package` itself, with only its output path changed: the check packages exactly what users get.
const USER_OUTPUT = '--out weft-$npm_package_version.vsix';
if (!manifest.scripts.package.includes(USER_OUTPUT)) {
  console.error(`checkPackage: the package script no longer writes ${USER_OUTPUT}; update scripts/checkPackage.mjs.`);
  process.exit(1);
}
const scratch = mkdtempSync(join(tmpdir(), 'weft-package-check-'));
const vsix = join(scratch, `weft-${version}.vsix`);
const packageCommand = manifest.scripts.package.replace(USER_OUTPUT, `--out ${JSON.stringify(vsix)}`);

try {
  execSync(packageCommand, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    // What `npm run` gives a script: the package's version and its binaries (vsce) on the PATH.
    env: { ...process.env, npm_package_version: version, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` },
  });
  const bytes = statSync(vsix).size;
  const files = execSync('npx vsce ls --no-dependencies', { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const problems = [];
  if (bytes >= LIMIT) problems.push(`it is ${(bytes / 1024 / 1024).toFixed(2)} MB, over 5 MB`);
  if (files.some((f) => f.includes('node_modules'))) problems.push('it contains node_modules');
  // The webviews, and the codicon font their CSS points at (without it every icon is an empty box).
  const webviews = [...['timeline', 'history', 'canvas'].flatMap((app) => [`dist/webview/${app}.js`, `dist/webview/${app}.css`]), 'dist/webview/codicon.ttf'];
  for (const needed of ['dist/extension.js', 'dist/runWorker.js', 'dist/cli.js', ...webviews, 'language/flow.schema.json', 'package.json']) {
    if (!files.includes(needed)) problems.push(`${needed} is missing`);
  }
  if (problems.length > 0) {
    console.error(`weft-${version}.vsix: ${problems.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`weft-${version}.vsix: ${(bytes / 1024).toFixed(0)} KB, ${files.length} files, no node_modules`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  execSync('node esbuild.mjs', { cwd: root, stdio: 'inherit' });
}
