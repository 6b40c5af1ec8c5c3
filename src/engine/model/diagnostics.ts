// Compile diagnostics: every one has a code from the spec (section 7) and, where the source is text, a range.

export type DiagnosticCode =
  // errors
  | 'invalid-json'
  | 'invalid-schema'
  | 'duplicate-node-id'
  | 'unknown-node-type'
  | 'invalid-config'
  | 'unknown-node'
  | 'unknown-port'
  | 'cycle'
  | 'invalid-expression'
  | 'unknown-reference'
  | 'load-error' // a .flow.ts module or an imported node type could not be loaded
  | 'internal' // a bug in Weft's compiler, reported instead of thrown
  | 'file-too-large' // a flow or module file over the size Weft reads (src/engine/load/readSourceFile.ts)
  | 'invalid-trigger' // v1.1: a bad cron, time zone, webhook path or method, schedule input, or a duplicate trigger
  | 'invalid-notify' // v1.1: settings.notify without a target, with a URL that is not http(s), or a secret without a URL
  | 'duplicate-flow-id' // v1.1: two files of one `weft validate` run share a flow id
  | 'unknown-property' // v1.1: a template reads a property its value's type does not have (src/engine/types/)
  | 'type-mismatch' // v1.1: an operator or function applied to a value of the wrong type
  | 'unknown-tool-flow' // v1.1: an ai node's tool names a flow file that does not exist
  // warnings
  | 'not-upstream'
  | 'unreachable-node'
  | 'unused-variable'
  | 'missing-secret'
  | 'maybe-skipped' // v1.1: a template reads nodes.x where x may not have run on this path
  | 'recursive-subflow'; // a subflow chain that comes back to this flow (may be meant: behind an `if`)

export type Severity = 'error' | 'warning';

/** Zero-based line and character, as VS Code counts them. `weft validate` prints them one-based. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Absent only where the flow came from an object with no text. */
  range?: Range;
  /** Offsets into the source text, for editors that work in offsets. */
  offset?: number;
  length?: number;
  file?: string;
  /** JSON path of the value the diagnostic is about, e.g. ["nodes", 2, "config", "url"]. */
  path?: (string | number)[];
  /** For quick fixes: e.g. the suggested node type, the missing key. */
  data?: Record<string, unknown>;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col: severity: message [code]`, one-based, as `weft validate` prints it. */
export function formatDiagnostic(d: Diagnostic, file = d.file ?? '<flow>'): string {
  const line = (d.range?.start.line ?? 0) + 1;
  const col = (d.range?.start.character ?? 0) + 1;
  return `${file}:${line}:${col}: ${d.severity}: ${d.message} [${d.code}]`;
}
