// Streamed text kept for the panel (an ai node's answer or reasoning, from its node.progress deltas): the text so
// far, bounded so a model that talks for minutes cannot grow a webview without limit. Past the bound the oldest
// text goes and the kept text starts with "…": while it streams, the end is what the user watches.
//
// Cutting on every delta past the bound would copy the whole kept text per delta; cutting down to three quarters
// of it leaves room for the next quarter's deltas, so each character is copied a few times at most.

/** At most this many UTF-16 units are kept per text (64 KiB of ASCII), the "…" included. */
export const MAX_STREAMED_CHARS = 64 * 1024;

export const CUT_MARK = '…';

/** `text` with `delta` appended, its start cut (marked "…") when it would pass `limit`. */
export function appendStreamed(text: string, delta: string, limit = MAX_STREAMED_CHARS): string {
  const joined = text + delta;
  if (joined.length <= limit) return joined;
  let start = joined.length - Math.max(1, Math.floor((limit * 3) / 4) - CUT_MARK.length);
  // Never start on the second half of a surrogate pair: the character would show as a broken glyph.
  const code = joined.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start++;
  return CUT_MARK + joined.slice(start);
}
