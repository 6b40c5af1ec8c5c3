// Writes the declarations of the `weft` package (tsconfig.types.json): dist/types/weft.d.ts and the files it
// imports, which package.json's "types" names. `npm pack` / `npm publish` run it (prepack), so a user's
// `import { flow } from 'weft'` is typed in their tsc and editor: node ids and `input` checked in a hand-written
// .flow.ts, FlowCodeContext for the rest. `--out DIR` writes them elsewhere (the package-types test).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : join(root, 'dist', 'types');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.types.json'), '--outDir', outDir], { cwd: root, stdio: 'inherit' });
if (!existsSync(join(outDir, 'weft.d.ts'))) {
  console.error(`emitTypes: ${join(outDir, 'weft.d.ts')} was not written.`);
  process.exit(1);
}
