// Errors with codes. Three kinds (after n8n's split): the user's (a bad flow or bad input: a clear message and
// a position, no stack), operational (network, timeout: may be retried) and unexpected (a bug: full stack).
// Every error sets `name` explicitly so it survives bundling and minification.

import type { Diagnostic } from './model/diagnostics';

export type ErrorKind = 'user' | 'operational' | 'unexpected';

export type WeftErrorCode =
  | 'invalid-flow' // the flow does not compile; `diagnostics` says why
  | 'invalid-input' // the run input does not match `inputs`
  | 'timeout' // a node attempt or the whole run took too long
  | 'cancelled' // the run was cancelled
  | 'node-failed' // a node failed and nothing handled it
  | 'unmocked-side-effect' // an http or ai node ran in a test without a mock
  | 'mock-error' // a test mock of the form { "error": "..." }
  | 'expression' // a template or expression could not be evaluated
  | 'http-status' // an http response with status >= 400 and failOnStatus
  | 'network' // a connection could not be made or broke
  | 'sandbox-timeout' // a code node ran past its time
  | 'sandbox-memory' // a code node ran out of memory
  | 'sandbox-error' // a code node threw
  | 'missing-secret' // a flow reads a secret that is not set
  | 'loop-limit' // a loop got more items than maxIterations
  | 'subflow' // a subflow could not be loaded or failed
  | 'subflow-depth' // subflows nested more than MAX_SUBFLOW_DEPTH deep (a recursion that did not stop)
  | 'flow-error' // a `fail` node, or an error thrown by user code
  | 'history' // the run history could not be read or written
  | 'usage' // a CLI or API call with wrong arguments
  | 'internal'; // a bug in Weft

export interface WeftErrorOptions {
  kind?: ErrorKind;
  nodeId?: string;
  cause?: unknown;
  diagnostics?: Diagnostic[];
  /** Extra data for the record, never secrets. */
  details?: Record<string, unknown>;
  /** Where in the user's code it was thrown: 1-based, kept out of the message so the message is what was thrown. */
  line?: number;
  column?: number;
  /** The name of what the user's code threw (`TypeError`), when this error stands for it; else `WeftError`. */
  name?: string;
}

export class WeftError extends Error {
  readonly code: WeftErrorCode;
  readonly kind: ErrorKind;
  readonly nodeId?: string;
  readonly diagnostics?: Diagnostic[];
  readonly details?: Record<string, unknown>;
  readonly line?: number;
  readonly column?: number;

  constructor(code: WeftErrorCode, message: string, options: WeftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name ?? 'WeftError';
    this.code = code;
    this.kind = options.kind ?? defaultKind(code);
    if (options.nodeId !== undefined) this.nodeId = options.nodeId;
    if (options.diagnostics !== undefined) this.diagnostics = options.diagnostics;
    if (options.details !== undefined) this.details = options.details;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
  }
}

function defaultKind(code: WeftErrorCode): ErrorKind {
  switch (code) {
    case 'timeout':
    case 'network':
    case 'http-status':
    case 'history':
      return 'operational';
    case 'internal':
      return 'unexpected';
    default:
      return 'user';
  }
}

/** The shape errors take in run records and events. */
export interface SerializedError {
  message: string;
  name?: string;
  code?: string;
  nodeId?: string;
  /** Where in the user's code (a code node's `code`) it was thrown, 1-based. */
  line?: number;
  column?: number;
  stack?: string;
}

export function serializeError(error: unknown, nodeId?: string): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = { message: error.message, name: error.name };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') out.code = code;
    const errorNode = (error as { nodeId?: unknown }).nodeId;
    if (typeof errorNode === 'string') out.nodeId = errorNode;
    else if (nodeId !== undefined) out.nodeId = nodeId;
    const { line, column } = error as { line?: unknown; column?: unknown };
    if (typeof line === 'number') out.line = line;
    if (typeof column === 'number') out.column = column;
    // A user's error gets no stack: the message and position say it all.
    const kind = (error as { kind?: unknown }).kind;
    if (kind !== 'user' && error.stack) out.stack = error.stack;
    return out;
  }
  const out: SerializedError = { message: String(error), name: 'Error' };
  if (nodeId !== undefined) out.nodeId = nodeId;
  return out;
}

/**
 * An error as a person reads it: the message, with what user code threw and where (`TypeError: x is required
 * (line 2)`). For display only: records and flows keep `message` exactly as thrown.
 */
export function describeError(error: SerializedError): string {
  const thrown = error.code === 'sandbox-error' && error.name !== undefined ? `${error.name}: ` : '';
  const where = error.line === undefined ? '' : ` (line ${error.line}${error.column === undefined ? '' : `:${error.column}`})`;
  return `${thrown}${error.message}${where}`;
}
