// An edit of a document's text in plain data: replace `range` with `newText`. The editor glue turns it into its
// own edit type; several edits of one action never overlap.

import type { Range } from '../engine/model/diagnostics';

export interface TextEdit {
  range: Range;
  newText: string;
}
