import { describe, expect, it } from 'vitest';
import { findUnreachable } from '../../../../src/engine/model/unreachableNodes';

describe('findUnreachable', () => {
  it('finds nodes fed only by ports that never fire, and everything after them', () => {
    // 0 (root) --ok--> 1 --never--> 2 --ok--> 3
    //                  1 --ok-----> 4
    const edges = [
      { from: 0, to: 1, canFire: true },
      { from: 1, to: 2, canFire: false },
      { from: 2, to: 3, canFire: true },
      { from: 1, to: 4, canFire: true },
    ];
    expect(findUnreachable(5, edges, [0, 1, 2, 3, 4])).toEqual([
      { node: 2, reason: 'ports' },
      { node: 3, reason: 'sources' },
    ]);
  });

  it('counts a node reachable when one of several incoming edges can fire', () => {
    // 0 --never--> 2 ; 1 --ok--> 2
    const edges = [
      { from: 0, to: 2, canFire: false },
      { from: 1, to: 2, canFire: true },
    ];
    expect(findUnreachable(3, edges, [0, 1, 2])).toEqual([]);
  });
});
