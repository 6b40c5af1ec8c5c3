// Terminal output helpers: colour only on a TTY and never with NO_COLOR; durations people read.

const useColor = (stream: NodeJS.WriteStream): boolean => Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

function paint(code: number, stream: NodeJS.WriteStream): (text: string) => string {
  return (text) => (useColor(stream) ? `\u001b[${code}m${text}\u001b[0m` : text);
}

export const red = paint(31, process.stdout);
export const green = paint(32, process.stdout);
export const yellow = paint(33, process.stdout);
export const dim = paint(2, process.stdout);
export const redErr = paint(31, process.stderr);
export const greenErr = paint(32, process.stderr);
export const yellowErr = paint(33, process.stderr);
export const dimErr = paint(2, process.stderr);

export { formatDuration } from '../shared/formatDuration';

export function out(line = ''): void {
  flushGathered();
  process.stdout.write(line + '\n');
}

export function err(line = ''): void {
  flushGathered();
  process.stderr.write(line + '\n');
}

/**
 * Lines for stdout gathered over one turn of the event loop and written together. A server that logs a line per
 * request made one write syscall per line: 7% of `weft serve`'s main thread at 4,000 requests/s, stdout going to a
 * file. `out`, `err` and the process's exit write what is gathered first, so lines keep the order they were
 * printed in.
 */
export function outGathered(line: string): void {
  if (gathered.length === 0) {
    setImmediate(flushGathered);
    if (!flushOnExit) {
      flushOnExit = true;
      process.on('exit', flushGathered);
    }
  }
  gathered.push(line);
}

let gathered: string[] = [];
let flushOnExit = false;

function flushGathered(): void {
  if (gathered.length === 0) return;
  const text = gathered.join('\n') + '\n';
  gathered = [];
  process.stdout.write(text);
}
