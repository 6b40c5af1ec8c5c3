// Hover in a .flow.json: a node type (what it does, its ports and config keys), a node id wherever it is named
// (its name, type and what it did in the last run: status, duration, output), a path or a whole expression
// inside `{{ }}` (its value in the last run, evaluated by the engine's own evaluator against the names the run
// had), a variable (its value), and a function (signature and doc). Values always say which run they come
// from; secrets always read `***`, never their values.

import { getNodeValue } from 'jsonc-parser';
import { getCompiledExpression } from '../engine/expr/compileCache';
import { isExpressionEvaluationError } from '../engine/expr/expressionEvaluationError';
import { FUNCTION_DOCS } from '../engine/expr/functions';
import type { Scope } from '../engine/expr/scope';
import type { Position, Range } from '../engine/model/diagnostics';
import type { NodeTypeDefinition } from '../engine/nodes/nodeType';
import type { RunRecord } from '../engine/run/runRecord';
import type { FlowDocument } from './flowDocument';
import type { ModelNode } from './flowModel';
import type { ExpressionReference, HostString } from './expressionIndex';
import { stringOf } from './jsonTree';
import { REDACTED, jsonBlock, scopeFromRun } from './runScope';
import { describeAge, describeDuration } from '../shared/describeTime';
import { targetAt } from './targetAt';
import { scheduleHover, triggersOf } from './triggerOutline';
import { describeSchema, isOptionalSchema, objectShape, schemaAt, schemaDescription } from './zodShape';
import { portList } from './nodePorts';
import { observedFields, observedLabel } from './observedFields';

export interface Hover {
  /** Markdown. */
  contents: string;
  range: Range;
}

export function hoverAt(doc: FlowDocument, position: Position): Hover | undefined {
  const schedule = scheduleAt(doc, position);
  if (schedule) return schedule;
  const target = targetAt(doc, doc.offsetAt(position));
  if (!target) return undefined;
  const range = doc.rangeAt(target.start, target.end);
  let contents: string | undefined;
  switch (target.kind) {
    case 'nodeType': {
      const type = doc.context.registry.get(target.type);
      contents = type ? nodeTypeHover(type, target.node) : undefined;
      break;
    }
    case 'nodeId':
      contents = nodeHover(doc, target.id);
      break;
    case 'variable':
      contents = variableHover(doc, target.name);
      break;
    case 'function': {
      const fn = FUNCTION_DOCS[target.name];
      contents = fn ? `\`\`\`\n${fn.signature}\n\`\`\`\n\n${fn.doc}` : undefined;
      break;
    }
    case 'path':
      return pathHover(doc, target.reference, target.step);
    case 'expression':
      contents = expressionHover(doc, target.source, target.host);
      break;
  }
  return contents === undefined ? undefined : { contents, range };
}

/** On a schedule trigger's cron pattern: its next five times. */
function scheduleAt(doc: FlowDocument, position: Position): Hover | undefined {
  for (const trigger of triggersOf(doc.source)) {
    if (trigger.type === 'schedule' && trigger.cronRange && contains(trigger.cronRange, position)) {
      return { contents: scheduleHover(trigger), range: trigger.cronRange };
    }
  }
  return undefined;
}

function contains(range: Range, position: Position): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

// ---------------------------------------------------------------------------------------------------------
// Node types and nodes

function nodeTypeHover(type: NodeTypeDefinition, node: ModelNode): string {
  const parts = [`**${type.type}**: ${type.title}`, type.description];
  const ports = portList(type, node.config ? getNodeValue(node.config) : {}, []);
  parts.push(`**Ports:** ${ports.map((p) => `\`${p}\``).join(', ')}`);
  const shape = objectShape(type.configSchema);
  if (shape && Object.keys(shape).length > 0) {
    const lines = Object.entries(shape).map(([key, schema]) => {
      const description = schemaDescription(schema);
      const required = isOptionalSchema(schema) ? '' : ', required';
      return `- \`${key}\` (${describeSchema(schema)}${required})${description ? `: ${description}` : ''}`;
    });
    parts.push(`**Config:**\n${lines.join('\n')}`);
  }
  return parts.join('\n\n');
}

function nodeHover(doc: FlowDocument, id: string): string {
  const node = doc.model.byId.get(id);
  if (!node) return `Unknown node \`${id}\`: no node of this flow has that id.`;
  const type = doc.nodeTypeOf(node);
  const head = `**${id}**${node.type !== undefined ? ` · \`${node.type}\`${type ? ` (${type.title})` : ''}` : ''}`;
  const parts = [head];
  const name = stringOf(node.object, 'name');
  const description = stringOf(node.object, 'description');
  if (name) parts.push(name);
  if (description) parts.push(description);
  if (node.graph.owner?.id !== undefined) {
    parts.push(`In the body of loop \`${node.graph.owner.id}\`: its output is part of the loop's output, not recorded on its own.`);
  } else {
    const run = doc.context.lastRun;
    if (run) parts.push(nodeRunSummary(doc, run, id));
    const observed = observedKeysDoc(doc, id, []);
    if (observed) parts.push(observed);
  }
  return parts.join('\n\n');
}

function nodeRunSummary(doc: FlowDocument, run: RunRecord, id: string): string {
  const header = runLabel(doc, run);
  const record = run.nodes[id];
  if (!record) return `Not run in ${header}.`;
  const facts = [`**${record.status}**`];
  if (record.durationMs !== undefined) facts.push(`in ${describeDuration(record.durationMs)}`);
  if (record.attempts > 1) facts.push(`after ${record.attempts} attempts`);
  if (record.disabled) facts.push('(disabled)');
  if (record.reused) facts.push(`(reused from run \`${run.resumedFrom ?? 'earlier'}\`)`);
  if (record.errorHandled) facts.push('(error handled)');
  const parts = [`${capitalize(header)}: ${facts.join(' ')}`];
  if (record.error) parts.push(`Error: ${record.error.message}`);
  if (record.output !== undefined) parts.push(`Output:\n${jsonBlock(record.output)}`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------
// Expressions

function variableHover(doc: FlowDocument, name: string): string {
  const variables = doc.variables;
  if (!Object.hasOwn(variables, name)) return `Unknown variable \`${name}\`: add it to \`variables\`.`;
  return `**variables.${name}**\n\n${jsonBlock(variables[name])}`;
}

function pathHover(doc: FlowDocument, reference: ExpressionReference, step: number): Hover | undefined {
  const end = step < 0 ? reference.rootEnd : reference.steps[step].end;
  const range = doc.rangeAt(reference.rootStart, end);
  const steps = reference.path.slice(0, step + 1);
  const label = `\`${[reference.root, ...steps].map((s, i) => (i === 0 ? s : typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}\``;
  if (reference.root === 'secrets') {
    const name = steps[0];
    const known = doc.context.knownSecrets;
    const status = typeof name !== 'string' || known === undefined ? '' : known.has(name) ? ' It is set.' : ' It is **not set**: run `Weft: Set Secret`.';
    return { contents: `${label}: a secret; its value is never shown (\`${REDACTED}\`).${status}`, range };
  }
  if (reference.root === 'item' || reference.root === 'index') {
    return { contents: `${label}: set for each item in a loop body or a filter condition; runs do not record it.`, range };
  }
  const source = [reference.root, ...steps.map((s) => `[${JSON.stringify(s)}]`)].join('');
  const parts = [label];
  const run = doc.context.lastRun;
  if (run) parts.push(valueInRun(doc, run, source, reference.host));
  else if (reference.root === 'variables') parts.push(jsonBlock(evaluateIn(source, { ...emptyScope(), variables: doc.variables })));
  const described = outputFieldDoc(doc, reference, steps);
  if (described) parts.push(described);
  const observed = reference.root === 'nodes' && typeof steps[0] === 'string' ? observedKeysDoc(doc, steps[0], steps.slice(1)) : undefined;
  if (observed) parts.push(observed);
  if (parts.length === 1) return undefined;
  return { contents: parts.join('\n\n'), range };
}

function expressionHover(doc: FlowDocument, source: string, host: HostString): string | undefined {
  const run = doc.context.lastRun;
  if (!run || source.trim() === '') return undefined;
  return `\`${source.trim()}\`\n\n${valueInRun(doc, run, source, host)}`;
}

/** `source`'s value with the names `host`'s reader had in `run`, labelled with the run. */
function valueInRun(doc: FlowDocument, run: RunRecord, source: string, host: HostString): string {
  const secretNames = new Set(doc.context.knownSecrets ?? []);
  for (const reference of doc.secretReferences) {
    const first = reference.steps[0]?.value;
    if (typeof first === 'string') secretNames.add(first);
  }
  const scope = scopeFromRun(run, doc.variables, secretNames, host.reader?.id);
  const result = evaluateIn(source, scope);
  if ('failure' in result) return `*Fails in ${runLabel(doc, run)}:* ${result.failure}`;
  return `*Value in ${runLabel(doc, run)}:*\n\n${jsonBlock(result.value)}`;
}

/** The expression's value with the run's names, or why it has none (an operation with no meaningful result). */
function evaluateIn(source: string, scope: Scope): { value: unknown } | { failure: string } {
  const compiled = getCompiledExpression(source);
  if (!compiled.ok) return { value: undefined };
  try {
    return { value: compiled.evaluate(scope) };
  } catch (error) {
    if (!isExpressionEvaluationError(error)) throw error;
    return { failure: `\`${source.slice(error.start, error.end).trim()}\`: ${error.reason}` };
  }
}

function emptyScope(): Scope {
  return { trigger: undefined, input: undefined, nodes: {}, variables: {}, secrets: {}, execution: { id: '', flowId: '', startedAt: '', trigger: { type: 'manual' } } };
}

/** For `nodes.<id>.field`, the field's description from the node type's outputSchema. */
function outputFieldDoc(doc: FlowDocument, reference: ExpressionReference, steps: (string | number)[]): string | undefined {
  if (reference.root !== 'nodes' || steps.length < 2 || typeof steps[0] !== 'string') return undefined;
  const type = doc.nodeTypeOf(doc.model.byId.get(steps[0]));
  if (!type?.outputSchema) return undefined;
  const schema = schemaAt(type.outputSchema, steps.slice(1));
  if (schema === undefined) return undefined;
  const description = schemaDescription(schema);
  return `${describeSchema(schema)}${description ? `: ${description}` : ''}`;
}

/** For node `id`'s output and paths into it: the keys recent runs' outputs had there, marked as observed. */
function observedKeysDoc(doc: FlowDocument, id: string, steps: (string | number)[]): string | undefined {
  const runs = doc.context.recentRuns;
  if (!runs || runs.length === 0) return undefined;
  const observed = observedFields(runs, id, steps);
  if (!observed || observed.keys.length === 0) return undefined;
  const shown = observed.keys.slice(0, MAX_OBSERVED_KEYS).map(({ key, runs: found }) => `- \`${key}\`: ${observedLabel(found, observed.runs)}`);
  if (observed.keys.length > MAX_OBSERVED_KEYS) shown.push(`- … and ${observed.keys.length - MAX_OBSERVED_KEYS} more`);
  return `*Keys observed in recent runs* (what ran, not a guarantee):\n${shown.join('\n')}`;
}

const MAX_OBSERVED_KEYS = 20;

function runLabel(doc: FlowDocument, run: RunRecord): string {
  return `run \`${run.id}\` (${describeAge(run.startedAt, doc.now())})`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
