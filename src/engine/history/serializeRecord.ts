// Turns a run record into the JSON text of its history file, cutting every value over the history size limit
// (spec section 11: "Values over the history size limit are stored truncated and marked so").
//
// Each big value (run input and output, node input, output and state) is stringified exactly once: the text is
// measured, then spliced into the record's JSON as it is, or replaced by a marker. So a record of small values
// costs about one JSON.stringify, the same as not checking at all. The caller's record is never touched: the
// marks exist only in the text.

import type { SerializedError } from '../errors';
import type { LogEntry, NodeRecord, RunRecord } from '../run/runRecord';

/** What stands in the stored record for a value that was over the limit. */
export interface TruncatedValue {
  $truncated: true;
  /** Size of the value's JSON, in UTF-8 bytes. */
  bytes: number;
  /** The first ~1 KiB of the value's JSON, to show what it was. */
  preview: string;
}

export interface SerializedRecord {
  json: string;
  /** Paths cut in this serialization (also written into the JSON, merged with `record.truncated`). */
  truncated: string[];
}

const PREVIEW_CHARS = 1024;

/** Serializes `record` as compact JSON, with each value over `maxValueBytes` replaced by a `TruncatedValue`. */
export function serializeRecord(record: RunRecord, maxValueBytes: number): SerializedRecord {
  const cutter = new Cutter(maxValueBytes);
  let json = '{';
  let first = true;
  const add = (key: string, valueJson: string | undefined): void => {
    if (valueJson === undefined) return;
    json += `${first ? '' : ','}${JSON.stringify(key)}:${valueJson}`;
    first = false;
  };
  for (const key of Object.keys(record)) {
    const value = (record as unknown as Record<string, unknown>)[key];
    switch (key) {
      case 'input':
      case 'output':
        add(key, cutter.value(value, key));
        break;
      case 'error':
        add(key, cutter.error(value as SerializedError | undefined, key));
        break;
      case 'nodes':
        add(key, serializeNodes(record.nodes, cutter));
        break;
      case 'truncated':
        break; // written last, merged with what this pass cut
      default:
        add(key, safeStringify(value));
    }
  }
  const truncated = cutter.paths;
  const allTruncated = record.truncated?.length ? [...new Set([...record.truncated, ...truncated])] : truncated;
  if (allTruncated.length > 0) add('truncated', JSON.stringify(allTruncated));
  return { json: `${json}}`, truncated };
}

function serializeNodes(nodes: Record<string, NodeRecord> | undefined, cutter: Cutter): string | undefined {
  if (nodes === undefined) return undefined;
  let json = '{';
  let first = true;
  for (const nodeId of Object.keys(nodes)) {
    const node = nodes[nodeId];
    if (node === undefined) continue;
    json += `${first ? '' : ','}${JSON.stringify(nodeId)}:${serializeNode(node, `nodes.${nodeId}`, cutter)}`;
    first = false;
  }
  return `${json}}`;
}

function serializeNode(node: NodeRecord, path: string, cutter: Cutter): string {
  let json = '{';
  let first = true;
  for (const key of Object.keys(node)) {
    const value = (node as unknown as Record<string, unknown>)[key];
    let valueJson: string | undefined;
    switch (key) {
      case 'input':
      case 'output':
      case 'state':
        valueJson = cutter.value(value, `${path}.${key}`);
        break;
      case 'error':
        valueJson = cutter.error(value as SerializedError | undefined, `${path}.error`);
        break;
      case 'logs':
        valueJson = cutter.logs(value as LogEntry[] | undefined, `${path}.logs`);
        break;
      default:
        valueJson = safeStringify(value);
    }
    if (valueJson === undefined) continue;
    json += `${first ? '' : ','}${JSON.stringify(key)}:${valueJson}`;
    first = false;
  }
  return `${json}}`;
}

class Cutter {
  readonly paths: string[] = [];

  constructor(private readonly maxBytes: number) {}

  /** The value's JSON, or a marker when it is over the limit; undefined when JSON would omit it. */
  value(value: unknown, path: string): string | undefined {
    const json = safeStringify(value);
    if (json === undefined || !this.isOver(json)) return json;
    this.paths.push(path);
    const marker: TruncatedValue = { $truncated: true, bytes: Buffer.byteLength(json), preview: preview(json) };
    return JSON.stringify(marker);
  }

  /**
   * Strings whose type is fixed (log messages, error messages and stacks) stay strings: they are cut to a
   * preview with a note, so every reader of a LogEntry or an error still gets a string.
   */
  text(value: string, path: string): string {
    // A string's JSON is at least as long as the string, and at most ~6x for escapes: measure the cheap way first.
    if (value.length * 6 + 2 <= this.maxBytes) return value;
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes <= this.maxBytes) return value;
    this.paths.push(path);
    return `${preview(value)}… [truncated: ${bytes} bytes]`;
  }

  error(error: SerializedError | undefined, path: string): string | undefined {
    if (error === undefined || error === null || typeof error !== 'object') return safeStringify(error);
    const copy: SerializedError = { ...error };
    if (typeof copy.message === 'string') copy.message = this.text(copy.message, `${path}.message`);
    if (typeof copy.stack === 'string') copy.stack = this.text(copy.stack, `${path}.stack`);
    return safeStringify(copy);
  }

  logs(logs: LogEntry[] | undefined, path: string): string | undefined {
    if (!Array.isArray(logs)) return safeStringify(logs);
    let json = '[';
    for (let i = 0; i < logs.length; i++) {
      const entry = logs[i];
      let entryJson: string | undefined;
      if (entry !== null && typeof entry === 'object' && typeof entry.message === 'string') {
        const message = this.text(entry.message, `${path}.${i}.message`);
        entryJson = safeStringify(message === entry.message ? entry : { ...entry, message });
      } else {
        entryJson = safeStringify(entry);
      }
      json += `${i === 0 ? '' : ','}${entryJson ?? 'null'}`;
    }
    return `${json}]`;
  }

  private isOver(json: string): boolean {
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit, so the length alone settles most cases without encoding.
    if (json.length > this.maxBytes) return true;
    if (json.length * 3 <= this.maxBytes) return false;
    return Buffer.byteLength(json) > this.maxBytes;
  }
}

/** JSON.stringify that turns the values JSON cannot hold (BigInt, cycles) into a note instead of failing the save. */
function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    return JSON.stringify({ $unserializable: error instanceof Error ? error.message : String(error) });
  }
}

function preview(text: string): string {
  if (text.length <= PREVIEW_CHARS) return text;
  let end = PREVIEW_CHARS;
  // Do not split a surrogate pair: half of one is not valid UTF-16 and would be written as U+FFFD.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}
