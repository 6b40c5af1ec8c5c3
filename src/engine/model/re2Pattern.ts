// A JSON Schema `pattern` (ECMA-262 syntax) in the syntax RE2 reads. Pure. The two mostly agree; what differs and
// is common in schemas is the code-unit escape: `\uXXXX` (and `\u{X...}`, a surrogate pair `\uD83D\uDE00` as the
// one code point it spells) becomes `\x{...}`, and `\cX` becomes the control character's `\x{..}`. Everything else
// is passed as it is, and what RE2 cannot run (backreferences, lookaround) is refused by RE2's own parser.

export function re2Pattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char !== '\\' || i + 1 >= pattern.length) {
      out += char;
      continue;
    }
    const next = pattern[i + 1];
    if (next === 'u') {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i + 2));
      if (braced) {
        out += `\\x{${braced[1]}}`;
        i += 1 + braced[0].length;
        continue;
      }
      const unit = codeUnitAt(pattern, i + 2);
      if (unit !== undefined) {
        let codePoint = unit;
        let length = 6;
        const low = pattern.startsWith('\\u', i + 6) ? codeUnitAt(pattern, i + 8) : undefined;
        if (unit >= 0xd800 && unit <= 0xdbff && low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
          codePoint = (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          length = 12;
        }
        out += `\\x{${codePoint.toString(16)}}`;
        i += length - 1;
        continue;
      }
    }
    if (next === 'c' && /^[A-Za-z]$/.test(pattern[i + 2] ?? '')) {
      out += `\\x{${(pattern.charCodeAt(i + 2) % 32).toString(16)}}`;
      i += 2;
      continue;
    }
    // Any other escape (including `\\`) is copied whole, so the character after it is never read as one.
    out += char + next;
    i += 1;
  }
  return out;
}

function codeUnitAt(pattern: string, at: number): number | undefined {
  const hex = pattern.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : undefined;
}
