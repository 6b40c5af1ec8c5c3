import { describe, expect, it } from 'vitest';
import { recordedHeaders } from '../../../src/live/recordedHeaders';

describe('recordedHeaders', () => {
  it('keeps ordinary headers and drops every credential', () => {
    // ARRANGE
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/1',
      'x-github-event': 'push',
      authorization: 'Bearer s3cret',
      cookie: 'session=abc',
      'x-weft-signature-256': 'sha256=00',
      'x-gitlab-token': 'tok',
      'x-custom': 'carries s3cret inside',
    };
    // ACT
    const kept = recordedHeaders(headers, ['s3cret']);
    // ASSERT
    expect(kept).toEqual({ 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/1', 'x-github-event': 'push' });
  });
});
