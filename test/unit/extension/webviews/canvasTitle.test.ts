import { describe, expect, it, vi } from 'vitest';

// canvasTitle needs nothing of VS Code but a Uri's fsPath.
vi.mock('vscode', () => ({}));

const { canvasTitle } = await import('../../../../src/extension/webviews/canvasEditor');
const file = (fsPath: string) => ({ fsPath }) as import('vscode').Uri;

describe('canvasTitle', () => {
  it('names the canvas by its flow id, so that it is not taken for the text editor of the same file', () => {
    expect(canvasTitle({ flowId: 'order-intake' }, file('/w/order-intake.flow.json'))).toBe('order-intake (canvas)');
  });

  it('falls back to the file name without .flow.json or .flow.ts when the file gives no id', () => {
    expect(canvasTitle({}, file('/w/score-lead.flow.ts'))).toBe('score-lead (canvas)');
    expect(canvasTitle({}, file('/w/broken.flow.json'))).toBe('broken (canvas)');
  });
});
