// Reads a file Weft treats as source (a flow, a subflow, an imported module) with two guards: it must be a
// regular file, and at most MAX_SOURCE_FILE_BYTES long. Without them a path to `/dev/zero`, a FIFO or a huge
// file makes `weft validate` hang or eat memory without bound. Every loader of flows and modules reads through here.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { DiagnosticCode } from '../model/diagnostics';

/** 5 MiB: far above any hand-written flow or module, far below what hurts. */
export const MAX_SOURCE_FILE_BYTES = 5 * 1024 * 1024;

/** Why a source file was not read; `diagnosticCode` is the code its diagnostic takes. */
export class SourceFileError extends Error {
  constructor(
    readonly diagnosticCode: Extract<DiagnosticCode, 'file-too-large' | 'load-error'>,
    message: string,
  ) {
    super(message);
    this.name = 'SourceFileError';
  }
}

/** The file's text (UTF-8, as `readFileSync(path, 'utf8')` gives it). Throws SourceFileError. */
/** `reading` names what the file is read as, for the message when it is too large. */
export function readSourceFile(path: string, maxBytes = MAX_SOURCE_FILE_BYTES, reading = 'a flow or module'): string {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever. Regular files ignore it.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceFileError('load-error', `Cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    // Checked on the opened descriptor, not the path: a symlink swapped between a check and the open cannot slip by.
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const what = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a pipe' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
      throw new SourceFileError('load-error', `Cannot read ${path}: it is ${what}, and Weft reads only regular files`);
    }
    if (stats.size > maxBytes) throw tooLarge(path, maxBytes, reading);
    // Read to one byte past the limit whatever the size said: a file can grow while it is read.
    let buffer = Buffer.allocUnsafe(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw tooLarge(path, maxBytes, reading);
        const grown = Buffer.allocUnsafe(Math.min(length * 2 + 1024, maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof SourceFileError) throw error;
    throw new SourceFileError('load-error', `Cannot read ${path}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(path: string, maxBytes: number, reading: string): SourceFileError {
  return new SourceFileError('file-too-large', `${path} is larger than ${maxBytes / (1024 * 1024)} MiB, the most Weft reads as ${reading}`);
}
