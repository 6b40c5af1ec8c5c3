// Which webhook a request names. Pure. The request target is matched as the client sent it, byte for byte: it is
// never decoded or normalized, so `/hooks/a%2Fb`, `/hooks/../x`, `/hooks//x` and `/hooks/x/` can never reach a
// flow by another spelling of its path. Such odd paths are refused (400) before anything else is looked at; a
// well-formed path that no flow serves is a 404.

import { hookPathProblem } from '../engine/model/compileTriggers';

export const HOOKS_PREFIX = '/hooks/';
export const STATUS_PATH = '/_weft/status';
export const API_PREFIX = '/_weft/';

/** What a request under /_weft/ (besides the status) names: the run API and the event stream (spec section 14). */
export type ApiRoute =
  | { name: 'runs' }
  | { name: 'run'; executionId: string }
  | { name: 'cancel'; executionId: string }
  | { name: 'resume'; executionId: string }
  | { name: 'run-events'; executionId: string }
  | { name: 'events' }
  | { name: 'unknown' };

export type RequestTarget =
  | { kind: 'hook'; path: string; query: string }
  | { kind: 'status'; query: string }
  | { kind: 'api'; route: ApiRoute; query: string }
  | { kind: 'bad-path'; reason: string }
  | { kind: 'not-found' };

/** Classifies a raw request target (`request.url`). */
export function parseRequestTarget(url: string): RequestTarget {
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  if (pathname === STATUS_PATH) return { kind: 'status', query };
  if (pathname.startsWith(API_PREFIX)) return { kind: 'api', route: apiRoute(pathname.slice(API_PREFIX.length)), query };
  if (!pathname.startsWith(HOOKS_PREFIX)) {
    // An absolute-form target (`GET http://host/hooks/x`) or anything not starting with "/" is no path of ours.
    return pathname.startsWith('/') ? { kind: 'not-found' } : { kind: 'bad-path', reason: 'The request target is not a path.' };
  }
  const path = pathname.slice(HOOKS_PREFIX.length);
  const problem = hookPathProblem(path);
  if (problem) return { kind: 'bad-path', reason: `Odd webhook path: ${problem}.` };
  return { kind: 'hook', path, query };
}

// Execution ids are what history accepts as a run id; anything else names no run (and is never decoded).
const EXECUTION_ID = /^[A-Za-z0-9_-]{1,128}$/;

function apiRoute(rest: string): ApiRoute {
  const parts = rest.split('/');
  if (parts[0] === 'events' && parts.length === 1) return { name: 'events' };
  if (parts[0] !== 'runs') return { name: 'unknown' };
  if (parts.length === 1) return { name: 'runs' };
  const executionId = parts[1];
  if (!EXECUTION_ID.test(executionId)) return { name: 'unknown' };
  if (parts.length === 2) return { name: 'run', executionId };
  if (parts.length === 3 && parts[2] === 'cancel') return { name: 'cancel', executionId };
  if (parts.length === 3 && parts[2] === 'resume') return { name: 'resume', executionId };
  if (parts.length === 3 && parts[2] === 'events') return { name: 'run-events', executionId };
  return { name: 'unknown' };
}

/** A query string as an object: a repeated key gives an array of its values. For GET webhooks, whose input it is. */
export function queryObject(query: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (query === '') return result;
  for (const [key, value] of new URLSearchParams(query)) {
    const previous = result[key];
    if (previous === undefined) result[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else result[key] = [previous, value];
  }
  // A plain object again: the null prototype only kept "__proto__" from meaning anything while it was filled.
  return { ...result };
}
