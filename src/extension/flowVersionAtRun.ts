// Whether a recorded run still matches its flow file, and what the run's flow looked like. A run record keeps the
// hash of the source it ran (`flowHash`: sha256 of a .flow.json's text); the source itself is kept once per version
// in the history folder (engine/history/flowVersions.ts), so a run opened later
// is labelled with the node types it ran with, and a node whose type changed since is not painted with a status
// that belongs to another node. Runs recorded before their version was kept get the plain notice only.

import { flowSourceHash, readFlowVersion } from '../engine/history/flowVersions';
import { parseJsonSource } from '../engine/model/jsonSource';
import { buildFlowModel } from '../language/flowModel';

/** What the execution panel (and canvas) should know of a recorded run against its flow file as it is now. */
export interface FlowChange {
  /** The file is not the one the run ran. */
  changed: boolean;
  /** Said to the user when `changed`. */
  notice?: string;
  /** Node types to label the run's nodes with: as they ran when known, else as they are now. */
  nodeTypes: Record<string, string>;
  /** Nodes whose type is not the one they ran with: their recorded status is not theirs any more. */
  retyped: string[];
}

export interface FlowChangeInput {
  /** The record's flowHash. */
  recordHash: string;
  /** sha256 of the file's text now (a .flow.json); undefined when it cannot be hashed like the run's (a .flow.ts). */
  hashNow?: string;
  /** A .flow.ts: the file's modification time, against the run's start. */
  modifiedMs?: number;
  startedAt: string;
  /** Types as the run's version had them, when that version was kept. */
  typesAtRun?: Record<string, string>;
  typesNow: Record<string, string>;
}

export const FLOW_CHANGED_NOTICE = 'The flow file changed since this run.';

/** Pure: compares the run's version with the file's. */
export function flowChangeSinceRun(input: FlowChangeInput): FlowChange {
  const changed =
    input.hashNow !== undefined
      ? input.hashNow !== input.recordHash
      : input.modifiedMs !== undefined && input.modifiedMs > Date.parse(input.startedAt);
  if (!changed) return { changed, nodeTypes: input.typesNow, retyped: [] };
  const typesAtRun = input.typesAtRun;
  if (!typesAtRun) {
    // Which node changed is unknown: no label claims a type the node may not have had.
    return { changed, notice: `${FLOW_CHANGED_NOTICE} Node types are not shown: the version it ran was not kept.`, nodeTypes: {}, retyped: [] };
  }
  const retyped = Object.keys(typesAtRun).filter((id) => id in input.typesNow && input.typesNow[id] !== typesAtRun[id]);
  const retypedText = retyped.length > 0 ? ` ${retyped.map((id) => `'${id}' was ${typesAtRun[id]}, now ${input.typesNow[id]}`).join('; ')}.` : '';
  return { changed, notice: `${FLOW_CHANGED_NOTICE} Nodes are shown as they ran.${retypedText}`, nodeTypes: typesAtRun, retyped };
}

/** Node types by id, loop bodies included (the language service's model of the text; the first id wins). */
export function nodeTypesFromJson(text: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const node of buildFlowModel(parseJsonSource(text).root).nodes) {
    if (node.id !== undefined && node.type !== undefined && !(node.id in types)) types[node.id] = node.type;
  }
  return types;
}

/** The flow file as it is now, as far as comparing it with a run needs. */
export interface FlowFileNow {
  /** Its path (a .flow.json is compared by its text's hash, anything else by modification time). */
  path: string;
  /** The document's text (a .flow.json). */
  text?: string;
  modifiedMs?: number;
}

/** A recorded run against its flow file now: the kept version of the run (if any) read from `historyDir`. */
export async function recordedFlowChange(record: { flowHash: string; startedAt: string }, file: FlowFileNow, historyDir: string): Promise<FlowChange> {
  const isJson = file.path.endsWith('.json');
  const typesNow = isJson && file.text !== undefined ? nodeTypesFromJson(file.text) : {};
  const hashNow = isJson && file.text !== undefined ? flowSourceHash(file.text) : undefined;
  const atRun = hashNow !== undefined && hashNow !== record.flowHash ? await readFlowVersion(historyDir, record.flowHash) : undefined;
  return flowChangeSinceRun({
    recordHash: record.flowHash,
    hashNow,
    modifiedMs: isJson ? undefined : file.modifiedMs,
    startedAt: record.startedAt,
    typesAtRun: atRun !== undefined ? nodeTypesFromJson(atRun) : undefined,
    typesNow,
  });
}
