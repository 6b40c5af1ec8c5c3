// zod issues -> messages a person reads ("Unknown key 'nodez'. Did you mean 'nodes'?", "Expected number, got
// string") at the JSON path they are about. Used for the flow file itself and for each node type's config.
// The zod 4 issue codes are mapped one by one; an issue this file does not know keeps zod's own message.

import type { z } from 'zod';
import { closestName } from './closestName';
import type { JsonPath } from '../../shared/jsonPath';
import { defOf } from './zodDef';

export interface IssueReport {
  /** JSON path, relative to the value that was checked. */
  path: JsonPath;
  message: string;
  /** `key`: point at the property's key (an unknown key) rather than its value. */
  at: 'value' | 'key';
  data?: Record<string, unknown>;
}

type Issue = z.core.$ZodIssue;

/**
 * Describes zod's issues for `input`. `schema` (the one that was used) lets an unknown key suggest a known one.
 */
export function describeIssues(issues: readonly Issue[], input: unknown, schema?: z.ZodType): IssueReport[] {
  const reports: IssueReport[] = [];
  for (const issue of issues) describeIssue(issue, [], input, schema, reports);
  return reports;
}

function describeIssue(issue: Issue, prefix: JsonPath, input: unknown, schema: z.ZodType | undefined, out: IssueReport[]): void {
  const path: JsonPath = [...prefix, ...issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s))];
  const actual = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_type': {
      const last = path[path.length - 1];
      if (actual === undefined && (typeof last === 'string' || issue.expected === 'nonoptional')) {
        const key = typeof last === 'string' ? last : String(last);
        out.push({ path, at: 'value', message: `Missing required key '${key}'`, data: { missingKey: key } });
      } else {
        out.push({ path, at: 'value', message: `Expected ${typeWord(issue.expected)}, got ${typeOf(actual)}` });
      }
      return;
    }
    case 'unrecognized_keys': {
      const known = knownKeys(schema, path, input);
      for (const key of issue.keys) {
        const suggestion = known ? closestName(key, known) : undefined;
        const data: Record<string, unknown> = { key };
        if (suggestion) data.suggestion = suggestion;
        out.push({
          path: [...path, key],
          at: 'key',
          message: suggestion ? `Unknown key '${key}'. Did you mean '${suggestion}'?` : `Unknown key '${key}'`,
          data,
        });
      }
      return;
    }
    case 'invalid_value': {
      const expected = issue.values.map(show);
      const message =
        expected.length === 1 ? `Expected ${expected[0]}, got ${show(actual)}` : `Expected one of ${expected.join(', ')}, got ${show(actual)}`;
      out.push({ path, at: 'value', message });
      return;
    }
    case 'invalid_union': {
      const branches = issue.errors ?? [];
      if (branches.length === 0) {
        // A discriminated union with an unknown discriminator, e.g. a trigger `type`.
        const options = (issue as { options?: unknown[] }).options;
        const message = Array.isArray(options)
          ? `Expected one of ${options.map(show).join(', ')}, got ${show(actual)}`
          : sentence(issue.message);
        out.push({ path, at: 'value', message });
        return;
      }
      // Every branch failed: report the one that got furthest, the way a person reads the schema.
      const best = bestBranch(branches);
      for (const inner of best) describeIssue(inner, path, input, schema, out);
      return;
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
      const inclusive = issue.inclusive !== false;
      let message: string;
      if (isCustomMessage(issue.message)) message = sentence(issue.message);
      else if (issue.origin === 'array' || issue.origin === 'set')
        message = `Expected ${small ? 'at least' : 'at most'} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
      else if (issue.origin === 'string')
        message = small && Number(bound) === 1 ? 'Must not be empty' : `Must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
      else
        message = `Must be ${small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than'} ${bound}, got ${show(actual)}`;
      out.push({ path, at: 'value', message });
      return;
    }
    case 'invalid_format':
      out.push({
        path,
        at: 'value',
        message: isCustomMessage(issue.message) ? `Invalid value ${show(actual)}: ${issue.message}` : sentence(issue.message),
      });
      return;
    case 'not_multiple_of':
      out.push({ path, at: 'value', message: `Must be a multiple of ${issue.divisor}, got ${show(actual)}` });
      return;
    default:
      out.push({ path, at: 'value', message: sentence(issue.message) });
  }
}

/** zod's own messages start like this; anything else was written by the schema's author. */
function isCustomMessage(message: string): boolean {
  return !/^(Invalid|Too small|Too big|Expected|Unrecognized)/.test(message);
}

/**
 * The branch to report of a union that failed: one that matched the value's kind (no `invalid_type` at the
 * union itself) beats one that did not; then the one with fewer issues; then the first.
 */
function bestBranch(branches: Issue[][]): Issue[] {
  let best = branches[0];
  let bestScore = Infinity;
  for (const branch of branches) {
    const kindMismatch = branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));
    const score = (kindMismatch ? 1000 : 0) + branch.length;
    if (score < bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

function valueAt(input: unknown, path: JsonPath): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** The keys an object schema allows at `path`, found by walking the schema; undefined when unknown. */
function knownKeys(schema: z.ZodType | undefined, path: JsonPath, input: unknown): string[] | undefined {
  const found = new Set<string>();
  collectKeys(schema, path, 0, input, found, 0);
  return found.size > 0 ? [...found] : undefined;
}



function collectKeys(schema: unknown, path: JsonPath, depth: number, input: unknown, out: Set<string>, guard: number): void {
  const def = defOf(schema);
  if (!def || guard > 64) return;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      collectKeys(def.innerType, path, depth, input, out, guard + 1);
      return;
    case 'pipe':
      collectKeys(def.in, path, depth, input, out, guard + 1);
      return;
    case 'lazy':
      if (def.getter) collectKeys(def.getter(), path, depth, input, out, guard + 1);
      return;
    case 'union':
      for (const option of def.options ?? []) collectKeys(option, path, depth, input, out, guard + 1);
      return;
    case 'object':
      if (depth === path.length) {
        for (const key of Object.keys(def.shape ?? {})) out.add(key);
      } else {
        collectKeys(def.shape?.[String(path[depth])], path, depth + 1, input, out, guard + 1);
      }
      return;
    case 'array':
      if (depth < path.length) collectKeys(def.element, path, depth + 1, input, out, guard + 1);
      return;
    case 'record':
      if (depth < path.length) collectKeys(def.valueType, path, depth + 1, input, out, guard + 1);
      return;
    default:
      return;
  }
}

function typeWord(expected: string): string {
  switch (expected) {
    case 'record':
    case 'object':
      return 'object';
    case 'int':
      return 'integer';
    case 'nonoptional':
      return 'a value';
    default:
      return expected;
  }
}

/** The JSON kind of a value, as a person names it. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value === undefined) return 'nothing';
  return typeof value;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return String(value);
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function sentence(message: string): string {
  return message.length > 0 ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}
