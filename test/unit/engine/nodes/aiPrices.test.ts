import { describe, expect, it } from 'vitest';
import { costUsd, priceOf } from '../../../../src/engine/nodes/aiPrices';

describe('ai prices', () => {
  it('prices a dated snapshot like its alias', () => {
    expect(priceOf('gpt-4o-2024-08-06')).toEqual(priceOf('gpt-4o'));
  });

  it('does not mistake a different model for one whose name it starts with', () => {
    expect(priceOf('gpt-4o-audio-preview')).toBeUndefined();
    expect(priceOf('gpt-4o-mini')).not.toEqual(priceOf('gpt-4o'));
  });

  it('knows nothing of names that are only keys of every object', () => {
    expect(priceOf('constructor')).toBeUndefined();
    expect(costUsd('toString', 10, 10)).toBeUndefined();
  });

  it('computes dollars per million tokens, in and out, without float noise', () => {
    // gpt-4.1-nano: $0.10 in, $0.40 out per million.
    expect(costUsd('gpt-4.1-nano', 1_000_000, 1_000_000)).toBe(0.5);
    expect(costUsd('gpt-4o-mini', 1, 1)).toBe(0.00000075);
  });
});
