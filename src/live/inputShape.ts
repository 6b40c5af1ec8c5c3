// What live mode refuses in a webhook's input before anything runs, whatever the flow's `inputs` say (documented in
// docs/decisions.md, "Live mode"). Pure.
//
// - Deeper than MAX_INPUT_DEPTH levels of objects and arrays (`body-too-deep`): history stores what it can
//   serialize, and a value nested thousands of levels deep cannot be stored (nor resumed) faithfully.
// - A key named `__proto__`, `constructor` or `prototype`, at any depth (`forbidden-key`): merging inputs along
//   edges copies keys onto plain objects, where `__proto__` is not data but the prototype, and was dropped.
//   Refusing it says so; keeping it would mean every merge, expression and node handling it as data.
//
// The walk is iterative: a deep value cannot overflow the stack here.

export const MAX_INPUT_DEPTH = 64;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface InputShapeProblem {
  code: 'body-too-deep' | 'forbidden-key';
  message: string;
}

export function inputShapeProblem(input: unknown): InputShapeProblem | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: input, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return { code: 'body-too-deep', message: `The body nests objects and arrays more than ${MAX_INPUT_DEPTH} levels deep; nothing ran.` };
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], depth: depth + 1, path: `${path}/${i}` });
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (FORBIDDEN_KEYS.has(key)) {
        return {
          code: 'forbidden-key',
          message: `The body has a key "${key}" (at ${at}): __proto__, constructor and prototype are refused as keys anywhere in webhook input; nothing ran.`,
        };
      }
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: at });
    }
  }
  return undefined;
}
