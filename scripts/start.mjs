// `npm start`: Weft on the sample flows, from a fresh clone. Installs what is missing, builds, validates the
// samples, runs their in-file tests, and runs one flow for real with history in samples/.weft.
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ensureDependencies } from './ensure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const weft = (args) => {
  console.error(`\n$ weft ${args}`);
  execSync(`node ../dist/cli.js ${args}`, { cwd: join(root, 'samples'), stdio: 'inherit' });
};

ensureDependencies();
execSync('node esbuild.mjs', { cwd: root, stdio: 'inherit' });
weft('validate .');
weft('test .');
weft(`run order-intake.flow.json --input '{"orderId":"A-7","total":240,"country":"FR"}'`);
weft('run normalize-signup.flow.json --input \'{"name":"Grace  Brewster Hopper","email":"Grace@Navy.test","tags":"cobol, Compilers"}\'');
weft('history --limit 5');
