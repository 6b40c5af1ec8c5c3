// Queue mode's tests need a real Redis: Debian's redis-server (7.0), installed like Chromium, idempotently (nothing
// happens when `redis-server` is on the PATH). Runnable (`node scripts/ensureRedis.mjs`, which scripts/test.mjs
// runs before vitest) and importable. No npm package that downloads or builds a Redis: these machines reach only
// the npm registry and apt.
import { fileURLToPath } from 'node:url';
import { hasCommand, installAptPackages } from './ensureVsCodeDeps.mjs';

/** Installs redis-server (and redis-cli, from redis-tools) when `redis-server` is not found. */
export function ensureRedis() {
  if (hasCommand('redis-server') && hasCommand('redis-cli')) return;
  console.error('[redis] installing redis-server and redis-tools');
  installAptPackages(['redis-server', 'redis-tools']);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureRedis();
