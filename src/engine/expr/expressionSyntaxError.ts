// The one error the expression parser throws. It carries the offsets it covers so an editor can underline
// them; the message never repeats the offset (the diagnostic's range says where). Code `expression`, the user's.

import { WeftError } from '../errors';

export class ExpressionSyntaxError extends WeftError {
  /** Offset of the first character the problem covers, into the text that was parsed. */
  readonly start: number;
  /** Offset just after the last character the problem covers (equal to `start` for a point). */
  readonly end: number;

  constructor(message: string, start: number, end: number) {
    // The name is set explicitly so it survives bundling and minification.
    super('expression', message, { kind: 'user', name: 'ExpressionSyntaxError' });
    this.start = start;
    this.end = end;
  }
}
