// Which webhook a request names. Pure. The request target is matched as the client sent it, byte for byte: it is
// never decoded or normalized, so `/hooks/a%2Fb`, `/hooks/../x`, `/hooks//x` and `/hooks/x/` can never reach a
// flow by another spelling of its path. Such odd paths are refused (400) before anything else is looked at; a
// well-formed path that no flow serves is a 404.

export const HOOKS_PREFIX = '/hooks/';
export const STATUS_PATH = '/_weft/status';

/** Unreserved URL characters only: what a path segment may hold, so that it needs no encoding. */
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const MAX_PATH_LENGTH = 256;

export type RequestTarget =
  | { kind: 'hook'; path: string; query: string }
  | { kind: 'status'; query: string }
  | { kind: 'bad-path'; reason: string }
  | { kind: 'not-found' };

/** Whether a trigger's `path` can be served as it is: segments of unreserved characters, no `.` or `..` segments. */
export function hookPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'a webhook path cannot be empty';
  if (path.length > MAX_PATH_LENGTH) return `a webhook path is at most ${MAX_PATH_LENGTH} characters`;
  for (const segment of path.split('/')) {
    if (segment === '') return 'a webhook path has no empty segments (no leading, trailing or double "/")';
    if (segment === '.' || segment === '..') return 'a webhook path has no "." or ".." segments';
    if (!SEGMENT.test(segment)) {
      return `"${segment}" has characters a URL would have to encode: use letters, digits, ".", "_", "~" and "-"`;
    }
  }
  return undefined;
}

/** Classifies a raw request target (`request.url`). */
export function parseRequestTarget(url: string): RequestTarget {
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  if (pathname === STATUS_PATH) return { kind: 'status', query };
  if (!pathname.startsWith(HOOKS_PREFIX)) {
    // An absolute-form target (`GET http://host/hooks/x`) or anything not starting with "/" is no path of ours.
    return pathname.startsWith('/') ? { kind: 'not-found' } : { kind: 'bad-path', reason: 'The request target is not a path.' };
  }
  const path = pathname.slice(HOOKS_PREFIX.length);
  const problem = hookPathProblem(path);
  if (problem) return { kind: 'bad-path', reason: `Odd webhook path: ${problem}.` };
  return { kind: 'hook', path, query };
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
