// The benchmark's graph shapes, each as a flow definition and as the plain dependency list the baseline
// scheduler runs. Every node does the same small work in both: pass its input on (a template `{{ input }}`).

export interface FlowShape {
  definition: object;
  /** Node executions in one run (a loop body's nodes count once per item). */
  executions: number;
  /** For the baseline: nodes in topological order with the indices of their inputs. */
  nodes: { deps: number[] }[];
  /** For the loop shape: how many times the baseline runs its one body node. */
  loopItems?: number;
}

const pass = (id: string): object => ({ id, type: 'transform', config: { output: '{{ input }}' } });

export function chainFlow(length: number): FlowShape {
  const nodes = Array.from({ length }, (_, i) => pass(`n${i}`));
  const edges = Array.from({ length: length - 1 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
  return {
    definition: { version: 1, id: `chain-${length}`, nodes, edges },
    executions: length,
    nodes: Array.from({ length }, (_, i) => ({ deps: i === 0 ? [] : [i - 1] })),
  };
}

export function fanOutFlow(width: number): FlowShape {
  const nodes = [pass('start'), ...Array.from({ length: width }, (_, i) => pass(`b${i}`)), { id: 'join', type: 'merge', config: { combine: 'array' } }];
  const edges = [
    ...Array.from({ length: width }, (_, i) => ({ from: 'start', to: `b${i}` })),
    ...Array.from({ length: width }, (_, i) => ({ from: `b${i}`, to: 'join' })),
  ];
  return {
    definition: { version: 1, id: `fan-out-${width}`, settings: { concurrency: width }, nodes, edges },
    executions: width + 2,
    nodes: [{ deps: [] }, ...Array.from({ length: width }, () => ({ deps: [0] })), { deps: Array.from({ length: width }, (_, i) => i + 1) }],
  };
}

export function loopFlow(items: number): FlowShape {
  return {
    definition: {
      version: 1,
      id: `loop-${items}`,
      nodes: [
        { id: 'items', type: 'transform', config: { output: `{{ trigger.items }}` } },
        { id: 'each', type: 'loop', config: { items: '{{ input }}', maxIterations: items, body: { nodes: [{ id: 'body', type: 'transform', config: { output: { n: '{{ index }}' } } }] } } },
      ],
      edges: [{ from: 'items', to: 'each' }],
      inputs: { type: 'object', properties: { items: { type: 'array', default: Array.from({ length: items }, (_, i) => i) } } },
    },
    executions: items + 2,
    nodes: [{ deps: [] }, { deps: [0] }],
    loopItems: items,
  };
}

/** `layers` layers of `width` nodes; each node after the first layer reads 2 or 3 nodes of the layer before. */
export function layeredDagFlow(layers: number, width: number): FlowShape {
  const nodes: object[] = [];
  const edges: object[] = [];
  const deps: { deps: number[] }[] = [];
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      const id = `l${layer}n${i}`;
      nodes.push({ id, type: 'transform', config: { output: { layer, from: '{{ len(keys(input ?? {})) }}' } } });
      const mine: number[] = [];
      if (layer > 0) {
        const count = 2 + (random() < 0.5 ? 1 : 0);
        const picked = new Set<number>();
        while (picked.size < count) picked.add(Math.floor(random() * width));
        for (const p of picked) {
          edges.push({ from: `l${layer - 1}n${p}`, to: id });
          mine.push((layer - 1) * width + p);
        }
      }
      deps.push({ deps: mine });
    }
  }
  return {
    definition: { version: 1, id: `dag-${layers}x${width}`, settings: { concurrency: width }, nodes, edges },
    executions: layers * width,
    nodes: deps,
  };
}
