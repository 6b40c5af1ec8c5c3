// Errors with codes. Three kinds (after n8n's split): the user's (a bad flow or bad input: a clear message and
// a position, no stack), operational (network, timeout: may be retried) and unexpected (a bug: full stack).
// Every error sets `name` explicitly so it survives bundling and minification.

import type { Diagnostic, Range } from './model/diagnostics';
import type { JsonPath } from '../shared/jsonPath';

export type ErrorKind = 'user' | 'operational' | 'unexpected';

/** Every code a WeftError may carry: a closed list, so a consumer can switch on it and a wire value can be checked. */
export const WEFT_ERROR_CODES = [
  'invalid-flow', // the flow does not compile; `diagnostics` says why
  'invalid-input', // the run input does not match `inputs`
  'invalid-config', // a node's config, once its templates are evaluated, is not what the node type takes
  'invalid-trigger', // a trigger's cron pattern, time zone, path or method is wrong
  'timeout', // a node attempt or the whole run took too long
  'cancelled', // the run was cancelled
  'node-failed', // a node failed and nothing handled it
  'unmocked-side-effect', // an http or ai node ran in a test without a mock
  'mock-error', // a test mock of the form { "error": "..." }
  'expression', // a template or expression has a syntax error (found at run time: a flow given as an object)
  'expression-error', // a template's operation has no meaningful result (number / string, NaN, a read through null)
  'http-status', // an http response with status >= 400 and failOnStatus
  'network', // a connection could not be made or broke
  'circuit-open', // an ai or http node's target failed too often lately: its circuit breaker refuses calls until a probe succeeds
  'sandbox-timeout', // a code node ran past its time
  'sandbox-memory', // a code node ran out of memory
  'sandbox-error', // a code node threw
  'missing-secret', // a flow reads a secret that is not set
  'loop-limit', // a loop got more items than maxIterations
  'subflow', // a subflow could not be loaded or failed
  'tool-call-limit', // an ai node's model asked for more tool calls than its maxToolCalls
  'subflow-depth', // subflows nested more than MAX_SUBFLOW_DEPTH deep (a recursion that did not stop)
  'flow-error', // a `fail` node, or an error thrown by user code
  'history', // the run history could not be read or written
  'not-found', // a run or node named by id does not exist
  'request-body', // a webhook request's body was refused: too large, too slow, over the server's budget, or cut off
  'run-worker', // the run worker process could not be reached or exited
  'queue-unavailable', // queue mode: Redis cannot be reached, so a run cannot be enqueued or recorded there
  'flow-version-mismatch', // queue mode: no worker has the version of a .flow.ts a run was started with
  'usage', // the command line or an API call has wrong or missing arguments, and nothing else
  'internal', // a bug in Weft
] as const;

export type WeftErrorCode = (typeof WEFT_ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(WEFT_ERROR_CODES);

/** Whether a code read from outside (a worker's reply, a record) is one of ours. */
export function isWeftErrorCode(value: unknown): value is WeftErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

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
  /** A way out, when one is known ("Did you mean 'fetch'?"), shown apart from the message. */
  hint?: string;
}

export class WeftError extends Error {
  readonly code: WeftErrorCode;
  readonly kind: ErrorKind;
  readonly nodeId?: string;
  readonly diagnostics?: Diagnostic[];
  readonly details?: Record<string, unknown>;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;

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
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

function defaultKind(code: WeftErrorCode): ErrorKind {
  switch (code) {
    case 'timeout':
    // Like a node's timeout: a loaded machine may finish the same code in time on the next attempt.
    case 'sandbox-timeout':
    case 'network':
    // The target may recover: a retry after the cooldown can pass the circuit's probe.
    case 'circuit-open':
    case 'http-status':
    case 'history':
    case 'run-worker':
    case 'queue-unavailable':
    // A mocked error stands for the real failure (a network error, a 5xx): retried as that would be.
    case 'mock-error':
    // A child run that failed: its own nodes had their retries; retrying the subflow is what its author asked for.
    case 'subflow':
      return 'operational';
    case 'internal':
      return 'unexpected';
    default:
      return 'user';
  }
}

/**
 * Whether trying again may succeed. Decided by the kind alone: a user's error (a bad config, a 4xx, code that
 * throws, a `fail` node) fails the same way every time, so it is never retried with backoff; operational and
 * unexpected errors are. An error without a kind (a plain Error from a custom node type or a `.flow.ts`
 * function) has an unknown cause and is retried as its author asked.
 */
export function isRetryable(error: unknown): boolean {
  const kind = (error ?? {}) as { kind?: unknown };
  return kind.kind !== 'user';
}

/** Where in the flow file an error is: the string that holds the failing template, and offsets inside its value. */
export interface ErrorLocation {
  /** JSON path of the string from the flow file's root, e.g. ["nodes", 2, "config", "output", "tax"]. */
  path: JsonPath;
  /** Offsets into the string's value (before JSON escapes) of the failing part of the template. */
  start: number;
  end: number;
  /** The same place in the source the flow was compiled from, when it was text (zero-based lines). */
  range?: Range;
  /** The flow file, when the flow came from one (a subflow's template names its own file). */
  file?: string;
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
  /** The failing template's place in the flow file (`expression-error`). */
  location?: ErrorLocation;
  /** A way out when one is known: the node id meant, how to set a secret, how to mock a call. */
  hint?: string;
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
    const { location, hint } = error as { location?: ErrorLocation; hint?: unknown };
    if (location !== undefined && Array.isArray(location.path)) out.location = location;
    if (typeof hint === 'string') out.hint = hint;
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
