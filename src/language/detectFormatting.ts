// The file's own formatting (indent unit, line ends), so tool edits look like the user's hand wrote them.

import type { FormattingOptions } from 'jsonc-parser';

export interface TextFormatting extends FormattingOptions {
  tabSize: number;
  insertSpaces: boolean;
  eol: string;
}

export function detectFormatting(text: string): TextFormatting {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = text.split(/\r?\n/).map((line) => /^[ \t]+/.exec(line)?.[0]).filter((x): x is string => Boolean(x));
  const tabs = indents.filter((i) => i.startsWith('\t')).length;
  if (tabs > indents.length / 2) return { insertSpaces: false, tabSize: 4, eol };
  const widths = indents.map((i) => i.length).filter((w) => w > 0);
  const tabSize = widths.length === 0 ? 2 : Math.min(...widths.filter((w) => w <= 8));
  return { insertSpaces: true, tabSize: Number.isFinite(tabSize) && tabSize > 0 ? tabSize : 2, eol };
}
