// Each version of a .flow.json that ran, kept once under its hash in the history folder
// (`live/definitions/<hash>.flow.json`, where queue mode keeps the versions it carries), so that a run recorded
// with that `flowHash` can later be shown against the flow it ran, whatever the file has become since.

import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The hash a run record keeps of a .flow.json (compileFlow.ts: sha256 of the source text). */
export function flowSourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function definitionPath(historyDir: string, hash: string): string {
  return join(historyDir, 'live', 'definitions', `${hash}.flow.json`);
}

/** Keeps a .flow.json's source under its hash, once per version (a version already kept is not written again). */
export async function keepFlowVersion(historyDir: string, hash: string, text: string): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(hash) || flowSourceHash(text) !== hash) return;
  const path = definitionPath(historyDir, hash);
  if (await stat(path).then(() => true, () => false)) return;
  await mkdir(join(historyDir, 'live', 'definitions'), { recursive: true });
  await writeFile(path, text, { flag: 'w' });
}

/** The source a run ran, when its version was kept. */
export async function readFlowVersion(historyDir: string, hash: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
  return readFile(definitionPath(historyDir, hash), 'utf8').catch(() => undefined);
}
