// Packages the extension as users get it and checks the promise of issue 3: a .vsix bundled by esbuild, with no
// node_modules inside, under 5 MB, holding every bundle it runs (the extension, the run worker, the CLI that live
// mode starts, the webviews). Rebuilds the development bundles afterwards (packaging minifies dist/).
import { execSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `weft-${version}.vsix`);
const LIMIT = 5 * 1024 * 1024;

try {
  execSync('npm run --silent package', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const bytes = statSync(vsix).size;
  const files = execSync('npx vsce ls --no-dependencies', { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const problems = [];
  if (bytes >= LIMIT) problems.push(`it is ${(bytes / 1024 / 1024).toFixed(2)} MB, over 5 MB`);
  if (files.some((f) => f.includes('node_modules'))) problems.push('it contains node_modules');
  const webviews = ['timeline', 'history', 'canvas'].flatMap((app) => [`dist/webview/${app}.js`, `dist/webview/${app}.css`]);
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
  rmSync(vsix, { force: true });
  execSync('node esbuild.mjs', { cwd: root, stdio: 'inherit' });
}
