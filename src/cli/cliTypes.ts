import { WeftError } from '../engine/errors';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliOptions {
  json?: boolean;
  input?: string;
  inputFile?: string;
  noHistory?: boolean;
  historyDir?: string;
  from?: string;
  flow?: string;
  status?: string;
  limit?: string;
  filter?: string;
  /** `weft history --tests`: list test runs too. */
  tests?: boolean;
  /** `weft stats --since`: 30m, 24h, 7d or an ISO date. */
  since?: string;
}

/** A mistake in the command line: code `usage`, the user's error, printed without a stack, exit code 2. */
export class UsageError extends WeftError {
  constructor(message: string) {
    super('usage', message, { kind: 'user', name: 'UsageError' });
  }
}
