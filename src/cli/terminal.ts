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
  process.stdout.write(line + '\n');
}

export function err(line = ''): void {
  process.stderr.write(line + '\n');
}
