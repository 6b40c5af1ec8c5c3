// The package's main entry (spec section 13): Node, no VS Code needed.

export { compileFlow } from './engine/model/compileFlow';
export type { CompileOptions, CompileResult } from './engine/model/compileFlow';
export { runFlow, secretsFromEnvironment } from './api/runFlow';
export type { RunFlowOptions } from './api/runFlow';
export { runFlowTests, runFlowTest } from './api/runTests';
export type { TestResult, TestMismatch, RunTestsOptions } from './api/runTests';
export { loadFlow } from './api/loadFlow';
export { flow, defineNodeType } from './engine/authoring';
export type { FlowCodeContext } from './engine/authoring';
export { HistoryStore } from './engine/history/historyStore';
export { NodeRegistry } from './engine/nodes/registry';
export { createDefaultRegistry } from './engine/nodes/builtins';
export { WeftError } from './engine/errors';
export { formatDiagnostic } from './engine/model/diagnostics';
export type { Diagnostic, DiagnosticCode, Range, Position } from './engine/model/diagnostics';
export type { CompiledFlow } from './engine/model/compiledFlow';
export type { FlowDefinition, NodeDefinition, EdgeDefinition, TestCaseDefinition } from './engine/model/flowSchema';
export type { RunRecord, NodeRecord, RunStatus, NodeStatus } from './engine/run/runRecord';
export type { EngineEvent } from './engine/run/events';
export type { NodeTypeDefinition, NodeContext, NodeOutcome } from './engine/nodes/nodeType';
