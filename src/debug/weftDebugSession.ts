// The flow debugger as a Debug Adapter Protocol session (spec section 16): launch runs a flow with the engine's
// debug gate (src/engine/run/debugGate.ts) held by a DebugController, which decides the stops; this class
// translates DAP requests to the controller and the stops back to DAP. It runs in VS Code as a debug adapter
// executable (`weft dap`, off the extension host's thread) and under any DAP client over stdio.
//
// One thread per run (docs/decisions.md); the call stack is the paused node's path, outermost last:
// node › loop iteration › subflow call … ; frames carry the flow file and the node's first line.

import { basename, isAbsolute, resolve } from 'node:path';
import {
  ContinuedEvent,
  Event,
  ExitedEvent,
  InitializedEvent,
  LoggingDebugSession,
  OutputEvent,
  Scope as DapScope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { loadFlow } from '../api/loadFlow';
import { runFlow } from '../api/runFlow';
import { serializeError } from '../engine/errors';
import type { Scope } from '../engine/expr/scope';
import { HistoryStore } from '../engine/history/historyStore';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import { hasErrors } from '../engine/model/diagnostics';
import type { GatedNode } from '../engine/run/debugGate';
import type { EngineEvent } from '../engine/run/events';
import { Redactor } from '../engine/run/redact';
import type { RunRecord } from '../engine/run/runRecord';
import { CodeDebugger } from './codeDebugger';
import { DebugController, debugScope, type NodeBreakpoint, type Stop } from './debugController';
import { DebugVariables } from './debugVariables';
import { resolveLaunchInput, type LaunchInputArguments } from './launchInput';
import { locateFlowNodes, type FlowNodeLocations } from './nodeLocations';
import { completionsAt, evaluateInScope, parseNewValue } from './scopeExpressions';

export interface WeftDebugSessionOptions {
  /** Relative `flow`, `inputFile` and the history directory (`.weft`) are resolved against it. Default: cwd. */
  workspaceRoot?: string;
  /** Called when the client disconnects (the stdio adapter exits then); in-process sessions leave it unset. */
  onShutdown?: () => void;
}

export interface WeftLaunchArguments extends DebugProtocol.LaunchRequestArguments, LaunchInputArguments {
  /** The flow file to debug. */
  flow: string;
  stopOnEntry?: boolean;
  /** Run history directory, or false for none. Default: `.weft` in the workspace root. */
  history?: string | false;
  /** The workspace root for this launch (relative paths, `.weft`), instead of the adapter's working directory. */
  cwd?: string;
  /**
   * Debug the flow's code too (a `.flow.ts`'s functions and the workspace modules they import): the adapter opens
   * the Node inspector of its process on 127.0.0.1, sends `weftCodeDebugger` ({ host, port, url }) and waits,
   * before loading the flow, for the `weftCodeDebuggerReady` request (at most `codeDebuggerTimeout` ms, default
   * 10000). Default false: a client must attach a JavaScript debugger for it (VS Code's extension sets it for .flow.ts).
   */
  debugCode?: boolean;
  codeDebuggerTimeout?: number;
}

/** The paused node, for the editor's canvas and execution panel (custom DAP event `weftPaused`). */
export interface WeftPausedEventBody {
  executionId: string;
  flowPath: string | undefined;
  nodeId: string;
  /** Flow › subflow call › loop iteration › node, as names. */
  path: string[];
  reason: string;
}

export interface WeftSkipNodeArguments {
  output?: unknown;
}

const THREAD_ID = 1;
/** How long launch waits for configurationDone from a client that never sends it. */
const CONFIGURATION_WAIT_MS = 2000;
/** How long launch waits for the client's JavaScript debugger to attach (debugCode) before running without it. */
const CODE_DEBUGGER_WAIT_MS = 10_000;

const enum ErrorIds {
  Launch = 1001,
  NotPaused = 1002,
  Evaluate = 1003,
  SetVariable = 1004,
  Skip = 1005,
}

export class WeftDebugSession extends LoggingDebugSession {
  private workspaceRoot: string;
  private readonly onShutdown?: () => void;
  private readonly controller: DebugController;
  private readonly variables = new DebugVariables();
  private readonly locations = new Map<string, FlowNodeLocations>();
  private readonly abort = new AbortController();
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));
  private nextBreakpointId = 1;
  private flow?: CompiledFlow;
  private runPromise?: Promise<RunRecord | undefined>;
  private terminatedSent = false;
  private codeDebugger?: CodeDebugger;

  constructor(options: WeftDebugSessionOptions = {}) {
    super();
    this.workspaceRoot = options.workspaceRoot ?? process.cwd();
    this.onShutdown = options.onShutdown;
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.controller = new DebugController({
      stopped: (stop) => this.onStopped(stop),
      resumed: (stop) => this.onResumed(stop),
      log: (text, target) => this.sendEvent(this.outputAt(`${text}\n`, 'console', target)),
    });
  }

  /** The base class exits the process on disconnect; only `weft dap` wants that. */
  override shutdown(): void {
    this.onShutdown?.();
  }

  // ---- set-up ------------------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartFrame: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.'],
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      exceptionBreakpointFilters: [
        { filter: 'failed', label: 'Failed nodes', description: 'Stop after a node fails in a way that fails the run.', default: false },
        { filter: 'errors', label: 'All node errors', description: 'Stop after every node error, handled ones too (retries, error ports, onError: skip).', default: false },
      ],
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const file = args.source.path === undefined ? undefined : this.absolute(args.source.path);
    const requested: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    let locations: FlowNodeLocations | undefined;
    let problem: string | undefined;
    if (file === undefined) problem = 'Breakpoints go in a flow file (.flow.json or .flow.ts).';
    else if (!/\.flow\.(?:json|ts)$/i.test(file)) {
      // A workspace module's line: the JavaScript debugger attached with debugCode binds it, not the flow debugger.
      problem = 'Not a flow file: a breakpoint in the code a .flow.ts calls stops when the flow is debugged with its code (debugCode).';
    } else {
      try {
        locations = locateFlowNodes(file);
        this.locations.set(file, locations);
      } catch (error) {
        problem = `Cannot read ${basename(file)}: ${(error as Error).message}`;
      }
    }
    const byNode = new Map<string, NodeBreakpoint>();
    const breakpoints: DebugProtocol.Breakpoint[] = requested.map((bp) => {
      const id = this.nextBreakpointId++;
      const node = locations?.nodeAtLine(this.convertClientLineToDebugger(bp.line));
      if (!node) {
        return { id, verified: false, line: bp.line, message: problem ?? 'Not inside a node: a breakpoint stops before a node runs, so it goes on a node’s definition.', reason: 'failed' };
      }
      byNode.set(node.nodeId, { id, condition: bp.condition, hitCondition: bp.hitCondition, logMessage: bp.logMessage });
      return { id, verified: true, line: this.convertDebuggerLineToClient(node.startLine), source: args.source };
    });
    if (file !== undefined) this.controller.setBreakpoints(file, byNode);
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.controller.exceptionFilters.clear();
    for (const filter of args.filters) if (filter === 'failed' || filter === 'errors') this.controller.exceptionFilters.add(filter);
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: WeftLaunchArguments): Promise<void> {
    if (typeof args.cwd === 'string' && args.cwd !== '') this.workspaceRoot = resolve(this.workspaceRoot, args.cwd);
    let flow: CompiledFlow;
    let launchInput;
    const historyDir = args.history === false ? undefined : this.absolute(args.history ?? '.weft');
    let history: HistoryStore | undefined;
    const openHistory = (): HistoryStore => (history ??= HistoryStore.open({ dir: historyDir ?? this.absolute('.weft') }));
    try {
      if (typeof args.flow !== 'string' || args.flow === '') throw new Error('The launch configuration needs `flow`: the flow file to debug.');
      const file = this.absolute(args.flow);
      // Before the flow's modules load, so the JavaScript debugger sees them parsed and binds their breakpoints.
      if (args.debugCode === true && !args.noDebug) await this.attachCodeDebugger(args.codeDebuggerTimeout);
      const compiled = loadFlow(file);
      if (!compiled.flow || hasErrors(compiled.diagnostics)) {
        const first = compiled.diagnostics.find((d) => d.severity === 'error');
        throw new Error(`${basename(file)} does not compile: ${first?.message ?? 'unknown error'}`);
      }
      flow = compiled.flow;
      launchInput = await resolveLaunchInput(args, flow, this.workspaceRoot, openHistory);
    } catch (error) {
      this.sendErrorResponse(response, { id: ErrorIds.Launch, format: braces((error as Error).message), showUser: true });
      return;
    }
    this.flow = flow;
    this.controller.stopOnEntry = args.stopOnEntry === true;
    // Breakpoints arrive between initialized and configurationDone; a client that never sends it is not waited for long.
    await Promise.race([this.configurationDone, new Promise((resolve) => setTimeout(resolve, CONFIGURATION_WAIT_MS).unref())]);
    this.sendResponse(response);

    const debug = args.noDebug ? undefined : { gate: this.controller, frames: [] };
    this.runPromise = runFlow(flow, {
      input: launchInput.input,
      mocks: launchInput.mocks,
      mode: launchInput.mode,
      history: historyDir === undefined ? false : openHistory(),
      signal: this.abort.signal,
      debug,
      onEvent: (event) => this.onEngineEvent(event),
    }).then(
      (record) => {
        this.sendEvent(new ExitedEvent(record.status === 'completed' ? 0 : 1));
        return record;
      },
      (error: unknown) => {
        this.sendEvent(new OutputEvent(`${(error as Error).message}\n`, 'stderr'));
        this.sendEvent(new ExitedEvent(1));
        return undefined;
      },
    );
    void this.runPromise.then(async () => {
      // Written like `weft run` writes it, then let go: the session runs one flow.
      if (history !== undefined) await history.close().catch(() => undefined);
      this.sendTerminated();
    });
  }

  // ---- running and stopping -------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, this.flow ? `Run of ${this.flow.id}` : 'Run')] };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.controller.continue();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.controller.next();
    this.sendResponse(response);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.controller.stepIn();
    this.sendResponse(response);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.controller.stepOut();
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.controller.pause();
    this.sendResponse(response);
  }

  protected override restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    const stop = this.controller.stopped;
    if (stop !== undefined && args.frameId !== stop.target.frames.length) {
      this.sendErrorResponse(response, { id: ErrorIds.NotPaused, format: 'Only the paused node’s own frame can be restarted.', showUser: true });
      return;
    }
    if (!this.controller.restartFrame()) return this.notPaused(response);
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.stopRun();
    this.sendResponse(response);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    this.stopRun();
    await this.runPromise;
    this.codeDebugger?.close();
    this.sendResponse(response);
    this.shutdown();
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === 'weftCodeDebuggerReady') {
      this.codeDebugger?.ready();
      return this.sendResponse(response);
    }
    if (command !== 'weftSkipNode') return super.customRequest(command, response, args);
    const output = (args as WeftSkipNodeArguments | undefined)?.output;
    if (!this.controller.skip(output)) {
      this.sendErrorResponse(response, { id: ErrorIds.Skip, format: 'Skip node works while paused before a node runs.', showUser: true });
      return;
    }
    this.sendResponse(response);
    this.sendEvent(new ContinuedEvent(THREAD_ID, true));
  }

  /** Opens the inspector, announces it and waits for the client's JavaScript debugger (see codeDebugger.ts). */
  private async attachCodeDebugger(timeoutMs: number | undefined): Promise<void> {
    this.codeDebugger = new CodeDebugger();
    const where = this.codeDebugger.open();
    if (where === undefined) {
      this.sendEvent(new OutputEvent('The Node inspector could not be opened: breakpoints in the flow’s code will not stop.\n', 'console'));
      return;
    }
    this.sendEvent(new Event('weftCodeDebugger', where));
    const wait = typeof timeoutMs === 'number' && timeoutMs >= 0 ? timeoutMs : CODE_DEBUGGER_WAIT_MS;
    if (!(await this.codeDebugger.waitUntilReady(wait))) {
      this.sendEvent(new OutputEvent(`No JavaScript debugger attached within ${wait} ms: the flow runs, its code breakpoints will not stop.\n`, 'console'));
    }
  }

  private stopRun(): void {
    if (!this.abort.signal.aborted) this.abort.abort();
    this.controller.terminate();
    if (this.runPromise === undefined) this.sendTerminated();
  }

  private sendTerminated(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.sendEvent(new TerminatedEvent());
  }

  private onStopped(stop: Stop): void {
    // The run's own secret values, to hide wherever a value shown holds one (debugScope hides them as names).
    this.variables.clear(new Redactor(stop.target.scope.secrets));
    const event = new StoppedEvent(stop.reason, THREAD_ID) as DebugProtocol.StoppedEvent;
    event.body.allThreadsStopped = true;
    if (stop.breakpointId !== undefined) event.body.hitBreakpointIds = [stop.breakpointId];
    if (stop.reason === 'exception') {
      const error = serializeError(stop.end?.error);
      event.body.text = error.message;
      event.body.description = `${stop.target.nodeId} failed${stop.end?.handled ? ' (handled)' : ''}: ${error.message}`;
    } else event.body.description = `Before ${stop.target.nodeId}`;
    this.sendEvent(event);
    const frame = stop.target.frames[stop.target.frames.length - 1];
    const body: WeftPausedEventBody = {
      executionId: frame.executionId,
      flowPath: frame.flowFile,
      nodeId: stop.target.nodeId,
      path: this.pathNames(stop.target),
      reason: stop.reason,
    };
    this.sendEvent(new Event('weftPaused', body));
  }

  private onResumed(stop: Stop): void {
    this.variables.clear();
    const frame = stop.target.frames[stop.target.frames.length - 1];
    this.sendEvent(new Event('weftResumed', { executionId: frame.executionId, nodeId: stop.target.nodeId }));
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'node.log') this.sendEvent(new OutputEvent(`[${event.nodeId}] ${event.message}\n`, event.level === 'error' || event.level === 'warn' ? 'stderr' : 'stdout'));
    else if (event.type === 'execution.completed' && this.isTopRun(event.executionId)) this.sendEvent(new OutputEvent(`Run ${event.executionId} completed.\n`, 'console'));
    else if (event.type === 'execution.failed' && this.isTopRun(event.executionId)) this.sendEvent(new OutputEvent(`Run ${event.executionId} failed: ${event.error.message}\n`, 'console'));
    else if (event.type === 'execution.cancelled' && this.isTopRun(event.executionId)) this.sendEvent(new OutputEvent(`Run ${event.executionId} was cancelled.\n`, 'console'));
    else if (event.type === 'execution.started' && event.parentExecutionId === undefined) this.topExecutionId ??= event.executionId;
  }

  private topExecutionId?: string;
  private isTopRun(executionId: string): boolean {
    return executionId === this.topExecutionId;
  }

  // ---- where the run is -------------------------------------------------------------------------

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const stop = this.controller.stopped;
    const frames = stop?.target.frames ?? [];
    const stackFrames: DebugProtocol.StackFrame[] = [];
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      const callee = frames[i + 1];
      let name = frame.nodeId;
      if (frame.iteration !== undefined) name += ` › iteration ${frame.iteration}`;
      if (callee !== undefined && callee.executionId !== frame.executionId) name += ` › ${callee.flowId}`;
      const source = frame.flowFile === undefined ? undefined : new Source(basename(frame.flowFile), frame.flowFile);
      const line = frame.flowFile === undefined ? 0 : (this.locationsOf(frame.flowFile)?.byId(frame.nodeId)?.startLine ?? 0);
      const stackFrame: DebugProtocol.StackFrame = new StackFrame(i + 1, name, source, this.convertDebuggerLineToClient(line), this.convertDebuggerColumnToClient(0));
      // Only the paused node runs again; an enclosing loop or subflow call is not restarted from inside it.
      stackFrame.canRestart = i === frames.length - 1;
      stackFrames.push(stackFrame);
    }
    response.body = { stackFrames, totalFrames: stackFrames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const stop = this.controller.stopped;
    // The enclosing frames (a loop node, a subflow call) are waiting on this node: their scope is the same run's.
    if (!stop || args.frameId < 1 || args.frameId > stop.target.frames.length) {
      response.body = { scopes: [] };
      return this.sendResponse(response);
    }
    const target = stop.target;
    const scope = this.scopeOf(stop);
    const v = this.variables;
    const beforeNode = stop.phase === 'before';
    const scopes: DapScope[] = [];
    // Input: settable before the node runs (what it will receive).
    if (stop.input !== null && typeof stop.input === 'object') {
      const ref = v.referenceFor(stop.input, 'input', beforeNode ? (name, value) => writeInto(stop.input as object, name, value) : undefined);
      scopes.push(withSize(new DapScope('Input', ref, false), stop.input));
    } else {
      const ref = v.scope(() => ({ input: stop.input }), beforeNode ? (_name, value) => (stop.input = value) : undefined);
      scopes.push(new DapScope('Input', ref, false));
    }
    scopes.push(new DapScope('Config', v.scope(() => configOf(target)), false));
    scopes.push(this.valueScope('Trigger', scope.trigger, 'trigger'));
    scopes.push(this.valueScope('Nodes', scope.nodes, 'nodes'));
    scopes.push(this.valueScope('Variables', scope.variables, 'variables'));
    scopes.push(new DapScope('Execution', v.scope(() => this.executionEntries(stop, scope)), false));
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    response.body = { variables: this.variables.variables(args) };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const stop = this.controller.stopped;
    const container = this.variables.container(args.variablesReference);
    if (!stop || !container?.set) {
      this.sendErrorResponse(response, { id: ErrorIds.SetVariable, format: 'Only the Input of a node about to run can be changed.', showUser: true });
      return;
    }
    let value: unknown;
    try {
      value = parseNewValue(args.value, this.scopeOf(stop));
    } catch (error) {
      this.sendErrorResponse(response, { id: ErrorIds.SetVariable, format: braces((error as Error).message), showUser: true });
      return;
    }
    container.set(args.name, value);
    const shown = this.variables.variable(args.name, value, undefined, true);
    response.body = { value: shown.value, type: shown.type, variablesReference: shown.variablesReference, indexedVariables: shown.indexedVariables };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const stop = this.controller.stopped;
    if (!stop) return this.notPaused(response);
    let value: unknown;
    try {
      value = evaluateInScope(args.expression, this.scopeOf(stop));
    } catch (error) {
      this.sendErrorResponse(response, { id: ErrorIds.Evaluate, format: braces((error as Error).message), showUser: args.context !== 'hover' });
      return;
    }
    const shown = this.variables.variable('result', value, undefined);
    response.body = {
      result: args.context === 'repl' && value !== null && typeof value === 'object' ? this.variables.shownPreview(value) : shown.value,
      type: shown.type,
      variablesReference: shown.variablesReference,
      indexedVariables: shown.indexedVariables,
    };
    this.sendResponse(response);
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const stop = this.controller.stopped;
    const column = this.convertClientColumnToDebugger(args.column);
    const items = stop ? completionsAt(args.text, column, this.scopeOf(stop)) : [];
    response.body = {
      targets: items.map((item) => ({ label: item.label, type: item.type, start: this.convertDebuggerColumnToClient(column - item.replaceLength), length: item.replaceLength })),
    };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.controller.stopped;
    if (!stop?.end || stop.end.ok) return this.notPaused(response);
    const error = serializeError(stop.end.error, stop.target.nodeId);
    response.body = {
      exceptionId: error.code ?? error.name ?? 'Error',
      description: error.message,
      breakMode: stop.end.handled ? 'always' : 'unhandled',
      details: { message: error.message, typeName: error.name, stackTrace: error.stack },
    };
    this.sendResponse(response);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** The paused node's scope as expressions see it: its (possibly changed) input, secrets hidden. */
  private scopeOf(stop: Stop): Scope {
    return debugScope({ ...stop.target.scope, input: stop.input });
  }

  private valueScope(name: string, value: unknown, path: string): DapScope {
    if (value !== null && typeof value === 'object') return withSize(new DapScope(name, this.variables.referenceFor(value, path), false), value);
    return new DapScope(name, this.variables.scope(() => ({ [path]: value })), false);
  }

  private executionEntries(stop: Stop, scope: Scope): Record<string, unknown> {
    const entries: Record<string, unknown> = { execution: scope.execution, node: stop.target.nodeId, path: this.pathNames(stop.target).join(' › ') };
    if (scope.item !== undefined) entries.item = scope.item;
    if (scope.index !== undefined) entries.index = scope.index;
    if (stop.end && !stop.end.ok) entries.error = serializeError(stop.end.error, stop.target.nodeId);
    return entries;
  }

  private pathNames(target: GatedNode): string[] {
    const names: string[] = [];
    let executionId: string | undefined;
    for (const frame of target.frames) {
      if (frame.executionId !== executionId) names.push(frame.flowId);
      executionId = frame.executionId;
      names.push(frame.iteration === undefined ? frame.nodeId : `${frame.nodeId}[${frame.iteration}]`);
    }
    return names;
  }

  private locationsOf(file: string): FlowNodeLocations | undefined {
    let found = this.locations.get(file);
    if (found === undefined) {
      try {
        found = locateFlowNodes(file);
        this.locations.set(file, found);
      } catch {
        return undefined;
      }
    }
    return found;
  }

  private outputAt(text: string, category: string, target: GatedNode): OutputEvent {
    const event = new OutputEvent(text, category);
    const frame = target.frames[target.frames.length - 1];
    if (frame.flowFile !== undefined) {
      const body = event.body as DebugProtocol.OutputEvent['body'];
      body.source = new Source(basename(frame.flowFile), frame.flowFile);
      body.line = this.convertDebuggerLineToClient(this.locationsOf(frame.flowFile)?.byId(target.nodeId)?.startLine ?? 0);
    }
    return event;
  }

  private absolute(path: string): string {
    return isAbsolute(path) ? resolve(path) : resolve(this.workspaceRoot, path);
  }

  private notPaused(response: DebugProtocol.Response): void {
    this.sendErrorResponse(response, { id: ErrorIds.NotPaused, format: 'The run is not paused.', showUser: false });
  }
}

function configOf(target: GatedNode): Record<string, unknown> {
  try {
    const config = target.config();
    return config !== null && typeof config === 'object' ? (config as Record<string, unknown>) : { config };
  } catch (error) {
    return { error: `The config does not resolve: ${(error as Error).message}` };
  }
}

function writeInto(container: object, name: string, value: unknown): void {
  if (Array.isArray(container)) container[Number(name)] = value;
  else (container as Record<string, unknown>)[name] = value;
}

function withSize(scope: DapScope, value: unknown): DapScope {
  if (Array.isArray(value) && value.length > 100) (scope as DebugProtocol.Scope).indexedVariables = value.length;
  return scope;
}

/** sendErrorResponse formats `{name}` as a variable: a message's own braces are kept apart. */
function braces(message: string): string {
  return message.replaceAll('{', '(').replaceAll('}', ')');
}
