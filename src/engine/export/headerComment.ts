// The `//` comment lines a `.flow.json` opens with (JSONC), before or just inside its first `{`: they say what
// the flow is for, so `weft export` keeps them at the top of the `.flow.ts`.

export function headerComment(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line === '{') continue;
    const comment = /^\/\/\s?(.*)$/.exec(line);
    if (comment === null) break;
    out.push(comment[1]);
  }
  return out;
}
