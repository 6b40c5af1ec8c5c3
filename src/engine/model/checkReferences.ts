// Checks every name a template reads, once all graphs of the flow are built:
// - an unknown root (`{{ foo.bar }}`), `nodes.x` with no node x, `variables.v` with no variable v: unknown-reference (error);
// - `nodes.x` where x exists but is not upstream of the node reading it (or sits in another loop body): not-upstream (warning);
// - `item` / `index` outside a loop body or a filter condition: unknown-reference as a warning (they read undefined there);
// - a variable no template reads: unused-variable (warning), at its key;
// and collects the secret names templates read.
//
// "Upstream of r" means: has a path to r. A body node may read its own graph's nodes upstream of it, and any
// node upstream of its loop node in the enclosing graphs. A graph's `output` and flow-level values are read
// at the end, so any node of their graph (or an enclosing one) is fine there.

import { SCOPE_ROOTS } from '../expr/scope';
import { closestName } from './closestName';
import type { CompileContext, GraphScope, ReferenceUse } from './compileContext';
import type { SecretRead } from './compiledFlow';
import type { JsonPath } from '../../shared/jsonPath';
import { answerUpstream } from './upstream';
import type { UpstreamQuery } from './upstream';

const ROOTS: ReadonlySet<string> = new Set(SCOPE_ROOTS);
const ITEM_ROOTS: ReadonlySet<string> = new Set(['item', 'index']);

export interface ReferenceSummary {
  /** Secret names read as `secrets.NAME` and by node types by name (NodeTypeDefinition.secretNames), deduplicated. */
  secretNames: string[];
  /** Who reads each secret during a run (a webhook trigger's secret is not read by runs). */
  secretReads: SecretRead[];
}

export function checkReferences(ctx: CompileContext, variables: Record<string, unknown>, variablesPath: JsonPath): ReferenceSummary {
  const secretNames = new Set<string>(ctx.typeSecretNames);
  const secretReads: SecretRead[] = [];
  const addSecretRead = (name: string, scope: GraphScope, reader: number | undefined, optional: boolean): void => {
    const nodeIds = readerChain(scope, reader);
    if (nodeIds) secretReads.push({ name, nodeIds, optional, sideEffect: reader !== undefined && scope.nodes[reader].type?.sideEffect === true });
  };
  for (const { name, scope, reader } of ctx.typeSecretReaders) addSecretRead(name, scope, reader, false);
  const usedVariables = new Set<string>();
  let allVariablesUsed = false;
  // Upstream questions, grouped by the graph they are asked in, answered together below.
  const pending = new Map<GraphScope, { queries: UpstreamQuery[]; uses: ReferenceUse[]; targetIds: string[] }>();

  for (const use of ctx.uses) {
    const { root, path } = use.reference;
    const at = { start: use.reference.start, end: use.reference.end };
    if (!ROOTS.has(root)) {
      const suggestion = closestName(root, SCOPE_ROOTS);
      ctx.report(
        'unknown-reference',
        'error',
        suggestion ? `Unknown name '${root}'. Did you mean '${suggestion}'?` : `Unknown name '${root}': a template reads ${SCOPE_ROOTS.join(', ')}`,
        use.path,
        { ...at, data: suggestion ? { name: root, suggestion } : { name: root } },
      );
      continue;
    }
    if (ITEM_ROOTS.has(root)) {
      if (!use.itemScope) {
        ctx.report('unknown-reference', 'warning', `'${root}' is only set in a loop body or a filter condition; here it is undefined`, use.path, {
          ...at,
          data: { name: root },
        });
      }
      continue;
    }
    const first = path[0];
    if (root === 'secrets') {
      if (typeof first === 'string') {
        secretNames.add(first);
        if (use.path[0] !== 'triggers') addSecretRead(first, use.scope, use.reader, use.optional === true);
      }
      continue;
    }
    if (root === 'variables') {
      if (typeof first !== 'string') {
        allVariablesUsed = true;
      } else if (Object.prototype.hasOwnProperty.call(variables, first)) {
        usedVariables.add(first);
      } else {
        const suggestion = closestName(first, Object.keys(variables));
        ctx.report(
          'unknown-reference',
          'error',
          `Unknown variable '${first}'${suggestion ? `. Did you mean '${suggestion}'?` : ''}`,
          use.path,
          { ...at, data: suggestion ? { variable: first, suggestion } : { variable: first } },
        );
      }
      continue;
    }
    if (root !== 'nodes' || typeof first !== 'string') continue;

    // Find the graph that holds node `first`, from the reader's graph outwards; the reader in each enclosing
    // graph is the loop node whose body we came from.
    let scope: GraphScope | undefined = use.scope;
    let reader = use.reader;
    let target: number | undefined;
    while (scope) {
      target = scope.ids.get(first);
      if (target !== undefined) break;
      reader = scope.parent?.owner;
      scope = scope.parent?.scope;
    }
    if (!scope || target === undefined) {
      if (ctx.claimedIds.has(first)) {
        ctx.report('not-upstream', 'warning', `Node '${first}' is inside a loop body: its output is only visible in that body, so this reads undefined`, use.path, {
          ...at,
          data: { nodeId: first },
        });
      } else {
        const suggestion = closestName(first, visibleIds(use.scope));
        ctx.report('unknown-reference', 'error', `Unknown node '${first}'${suggestion ? `. Did you mean '${suggestion}'?` : ''}`, use.path, {
          ...at,
          data: suggestion ? { nodeId: first, suggestion } : { nodeId: first },
        });
      }
      continue;
    }
    // Read at the end of the graph, or in a graph with a cycle (already an error): nothing more to say.
    if (reader === undefined || !scope.order) continue;
    let group = pending.get(scope);
    if (!group) pending.set(scope, (group = { queries: [], uses: [], targetIds: [] }));
    group.queries.push({ reader, target });
    group.uses.push(use);
    group.targetIds.push(first);
  }

  for (const [scope, group] of pending) {
    const answers = answerUpstream(scope.nodes.length, scope.incoming, scope.order!, group.queries);
    answers.forEach((upstream, i) => {
      if (upstream) return;
      const use = group.uses[i];
      const readerId = scope.nodes[group.queries[i].reader].id;
      const targetId = group.targetIds[i];
      const message =
        readerId === targetId
          ? use.scope === scope
            ? `Node '${targetId}' reads its own output, which is not set while it runs`
            : `Loop '${targetId}' has no output while its body runs, so nodes.${targetId} is undefined here`
          : use.scope === scope
            ? `Node '${targetId}' is not upstream of '${readerId}', so nodes.${targetId} may be undefined when '${readerId}' runs`
            : `Node '${targetId}' is not upstream of loop '${readerId}', so nodes.${targetId} may be undefined in its body`;
      ctx.report('not-upstream', 'warning', message, use.path, {
        start: use.reference.start,
        end: use.reference.end,
        data: { nodeId: targetId, readerId },
      });
    });
  }

  if (!allVariablesUsed) {
    const fromCode = variablesReadByCode(ctx.opaqueTexts);
    if (fromCode !== 'all') {
      for (const name of Object.keys(variables)) {
        if (usedVariables.has(name) || fromCode.has(name)) continue;
        ctx.report('unused-variable', 'warning', `Variable '${name}' is never used`, [...variablesPath, name], {
          at: 'key',
          data: { variable: name },
        });
      }
    }
  }
  return { secretNames: [...secretNames], secretReads };
}

/**
 * The node that reads (when there is one) and the loop nodes around it, innermost first; undefined when one
 * of them is disabled, since a disabled node evaluates nothing and a disabled loop runs no body.
 */
function readerChain(scope: GraphScope, reader: number | undefined): string[] | undefined {
  const ids: string[] = [];
  for (let s: GraphScope | undefined = scope, r = reader; s; r = s.parent?.owner, s = s.parent?.scope) {
    if (r === undefined) continue;
    const node = s.nodes[r];
    if (node.disabled) return undefined;
    ids.push(node.id);
  }
  return ids;
}

/** Ids a template in `scope` may name: its graph's and the enclosing graphs'. */
function visibleIds(scope: GraphScope): string[] {
  const ids: string[] = [];
  for (let s: GraphScope | undefined = scope; s; s = s.parent?.scope) ids.push(...s.ids.keys());
  return ids;
}

const VARIABLE_READ = /\bvariables\s*(?:\??\.\s*([A-Za-z_$][\w$]*)|\[\s*(['"])((?:(?!\2).)*)\2\s*\])?/g;

/**
 * Variables that code (a string without templates, or a function from a .flow.ts) reads, found textually:
 * `variables.x` and `variables["x"]`; a bare `variables` (destructuring, passing it on) counts as reading all.
 */
function variablesReadByCode(texts: readonly string[]): Set<string> | 'all' {
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE_READ)) {
      const name = match[1] ?? match[3];
      if (name === undefined) return 'all';
      names.add(name);
    }
  }
  return names;
}
