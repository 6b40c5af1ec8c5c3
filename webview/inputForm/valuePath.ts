// Reading and writing a value inside the form's input by path (object keys and array indexes), without changing
// the value given (React state is replaced, never edited), and the JSON Pointer the validator names a path with.

export type Path = ReadonlyArray<string | number>;

export function getAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** `root` with `next` at `path`; `undefined` removes an object's key (an optional field left empty). */
export function setAt(root: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(root) ? [...root] : [];
    list[head] = setAt(list[head], rest, next);
    return list;
  }
  const object = root !== null && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  const child = setAt(object[head], rest, next);
  if (child === undefined) delete object[head];
  else object[head] = child;
  return object;
}

/** The array at `path` without its item `index`. */
export function removeAt(root: unknown, path: Path, index: number): unknown {
  const list = getAt(root, path);
  return setAt(root, path, Array.isArray(list) ? list.filter((_, i) => i !== index) : []);
}

/** RFC 6901, as the engine's validator reports paths ("" is the whole value; it says "/"). */
export function toPointer(path: Path): string {
  return path.length === 0 ? '/' : path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
