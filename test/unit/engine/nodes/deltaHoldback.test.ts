import { describe, expect, it } from 'vitest';
import { DeltaHoldback } from '../../../../src/engine/nodes/deltaHoldback';

describe('DeltaHoldback', () => {
  it('passes text that cannot start a secret straight through', () => {
    const holdback = new DeltaHoldback(['sk-secret']);

    expect(holdback.push('Hello ')).toBe('Hello ');
    expect(holdback.push('world')).toBe('world');
    expect(holdback.flush()).toBe('');
  });

  it('holds the end that could start a secret until the next delta shows it whole', () => {
    const holdback = new DeltaHoldback(['sk-secret']);

    expect(holdback.push('the key is sk-se')).toBe('the key is ');
    expect(holdback.push('cret, done')).toBe('sk-secret, done');
  });

  it('lets held text go once it turns out not to be a secret, and flushes what is left at the end', () => {
    const holdback = new DeltaHoldback(['sk-secret']);

    expect(holdback.push('ask')).toBe('a');
    expect(holdback.push('-s')).toBe('');
    expect(holdback.push('ky')).toBe('sk-sky');
    expect(holdback.push(' s')).toBe(' ');
    expect(holdback.flush()).toBe('s');
  });
});
