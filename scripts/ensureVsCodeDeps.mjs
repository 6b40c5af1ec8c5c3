// What the real-VS Code tests need from the machine, set up idempotently on a fresh CI machine (Debian, root):
// Debian's Chromium (Playwright must never download a browser) and the libraries code-server's native modules
// build against, plus a seeded cache for @vscode/ripgrep, whose postinstall would otherwise download rg from
// GitHub, which these machines cannot reach. The seeding must happen BEFORE `npm ci`, so scripts/ensure.mjs
// calls this first whenever code-server is a devDependency. Runnable (`node scripts/ensureVsCodeDeps.mjs`) and
// importable; every step is a no-op when already done.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages: the build libraries of code-server's native modules, rg for the cache, the browser. */
export const APT_PACKAGES = ['libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev', 'pkg-config', 'ripgrep', 'chromium'];

// @vscode/ripgrep 1.15.11 (code-server 4.100.3) downloads this rg release; the cache file name must match.
const DEFAULT_RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

const log = (message) => console.error(`[vscode-deps] ${message}`);

function isDpkgInstalled(name) {
  try {
    const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return status.trim() === 'install ok installed';
  } catch {
    return false;
  }
}

export function hasCommand(name) {
  try {
    execSync(`command -v ${name}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
}

/** Packages of APT_PACKAGES that are not installed (chromium counts as present when the command exists). */
export function missingAptPackages() {
  return APT_PACKAGES.filter((name) => {
    if (name === 'chromium' && hasCommand('chromium')) return false;
    return !isDpkgInstalled(name);
  });
}

/** Installs the missing Debian packages, running `apt-get update` once first; nothing when all are present. */
export function ensureAptPackages() {
  installAptPackages(missingAptPackages());
}

/** Installs `missing` (Debian package names) with apt-get, as root or through passwordless sudo; nothing when empty. */
export function installAptPackages(missing) {
  if (missing.length === 0) return;
  if (!hasCommand('apt-get')) throw new Error(`Missing packages ${missing.join(', ')} and no apt-get to install them.`);
  // Root installs directly; anyone else needs passwordless sudo (CI runs as root).
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : ['sudo', '-n'];
  if (!isRoot && !hasCommand('sudo')) throw new Error(`Missing packages ${missing.join(', ')}: install them as root (apt-get install ${missing.join(' ')}).`);
  const apt = (args) => {
    const [command, ...rest] = [...prefix, 'apt-get', ...args];
    execFileSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  log(`installing ${missing.join(' ')}`);
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...missing]);
}

/** The @vscode/ripgrep version code-server pulls in, read from package-lock.json when it records one. */
export function ripgrepPackageVersion() {
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    for (const [path, entry] of Object.entries(lock.packages ?? {})) {
      if (path.endsWith('node_modules/@vscode/ripgrep') && path.includes('code-server') && entry.version) return entry.version;
    }
  } catch {
    // no lock file yet: the default matches code-server 4.100.3
  }
  return DEFAULT_RIPGREP_PACKAGE_VERSION;
}

function ripgrepTarget() {
  if (process.platform !== 'linux') return undefined;
  if (process.arch === 'x64') return 'x86_64-unknown-linux-musl';
  if (process.arch === 'arm64') return 'aarch64-unknown-linux-musl';
  return undefined;
}

/**
 * Puts Debian's rg where @vscode/ripgrep's postinstall looks before downloading:
 * `<os.tmpdir()>/vscode-ripgrep-cache-<package version>/ripgrep-<release>-<target>.tar.gz`.
 * Returns the archive's path (undefined where the platform is not one this seeding knows).
 */
export function seedRipgrepCache() {
  const target = ripgrepTarget();
  if (!target) return undefined;
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${ripgrepPackageVersion()}`);
  const archive = join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`);
  if (existsSync(archive)) return archive;
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((candidate) => existsSync(candidate));
  if (!rg) throw new Error('ripgrep (rg) is not installed: cannot seed the @vscode/ripgrep cache (apt-get install ripgrep).');
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'weft-rg-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    execFileSync('tar', ['czf', archive, '-C', staging, 'rg'], { stdio: 'inherit' });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`seeded ${archive}`);
  return archive;
}

/** Environment for `npm ci`/`npm install` with code-server: no prompts, no browser download, local headers. */
export function vsCodeInstallEnv(base = process.env) {
  return {
    ...base,
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    npm_config_nodedir: base.npm_config_nodedir || '/usr',
  };
}

/** True when package.json lists code-server, i.e. the install needs this set-up first. */
export function needsVsCodeDeps() {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    return Boolean(pkg.devDependencies?.['code-server'] || pkg.dependencies?.['code-server']);
  } catch {
    return false;
  }
}

/** Everything above, in order: apt packages, then the ripgrep cache. */
export function ensureVsCodeDeps() {
  ensureAptPackages();
  seedRipgrepCache();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureVsCodeDeps();
  } catch (error) {
    console.error(`[vscode-deps] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
