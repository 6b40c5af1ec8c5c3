// Where each validation error is shown: at the field its JSON Pointer names, or, for a place the form draws no field
// for (a property the schema does not list, a part of a JSON field), at the nearest field that holds it; the value
// itself ("/") is the form's top. So every error the run would report is on screen, next to what causes it.

import type { InputFieldError } from '../../src/protocol/inputFormProtocol';

/** Messages by the pointer of the field that shows them. `drawn` holds the pointers of the fields drawn ("/" too). */
export function placeErrors(errors: InputFieldError[], drawn: ReadonlySet<string>): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  for (const error of errors) {
    const at = nearestDrawn(error.path, drawn);
    // A message about a place other than the field itself names that place.
    const relative = at === error.path ? '' : error.path.slice(at === '/' ? 0 : at.length);
    const message = relative ? `${relative}: ${error.message}` : error.message;
    const list = placed.get(at) ?? [];
    if (!list.includes(message)) list.push(message);
    placed.set(at, list);
  }
  return placed;
}

function nearestDrawn(path: string, drawn: ReadonlySet<string>): string {
  let candidate = path;
  while (candidate !== '/' && candidate !== '') {
    if (drawn.has(candidate)) return candidate;
    candidate = candidate.slice(0, candidate.lastIndexOf('/')) || '/';
  }
  return '/';
}
