// The `weft` debug type in VS Code: the launch configuration (F5 on a flow file with no launch.json debugs that
// flow; a flow with inputs and no input in the configuration asks for it with the Run input form) and the adapter
// process (`weft dap` over stdio, run by the extension host's Node, so the engine never runs on the extension
// host's thread and a paused flow never blocks the editor).

import { basename, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { askForInput } from '../inputForm';
import { activeFlowFile } from '../workspacePaths';
import { WEFT_DEBUG_TYPE } from './debugPauses';

/** VS Code's built-in JavaScript debugger, which attaches to the adapter for a .flow.ts's code. */
const JS_DEBUG_EXTENSION = 'ms-vscode.js-debug';

/** A launch configuration of type `weft` (spec section 16). */
export interface FlowLaunchConfiguration extends vscode.DebugConfiguration {
  flow?: string;
  input?: unknown;
  inputFile?: string;
  fromTest?: string;
  fromRun?: string;
  stopOnEntry?: boolean;
  /** Debug the flow's code with VS Code's JavaScript debugger (codeDebugSessions.ts); default true for a .flow.ts. */
  debugCode?: boolean;
}

/** What the configuration provider needs of the rest of the extension. */
export interface FlowDebugDeps {
  compile(file: string): Promise<{ flowId?: string; inputs?: Record<string, unknown>; secretNames: string[] } | undefined>;
  /** The input of the flow's last run, to prefill the form. */
  lastInput(file: vscode.Uri, flowId: string): Promise<unknown>;
  secretValues(names: string[]): Promise<Record<string, string>>;
}

/** The configuration the Debug CodeLens, the canvas's Debug button and F5 without launch.json start. */
export function debugConfigurationFor(file: vscode.Uri): FlowLaunchConfiguration {
  return { type: WEFT_DEBUG_TYPE, request: 'launch', name: `Debug ${basename(file.fsPath)}`, flow: file.fsPath };
}

export function hasInputSource(config: FlowLaunchConfiguration): boolean {
  return config.input !== undefined || config.inputFile !== undefined || config.fromTest !== undefined || config.fromRun !== undefined;
}

export class FlowDebugConfigurationProvider implements vscode.DebugConfigurationProvider, vscode.DebugAdapterDescriptorFactory {
  constructor(
    private readonly deps: FlowDebugDeps,
    /** dist/cli.js of this extension: the `weft` command. */
    private readonly cliScript: string,
  ) {}

  /** F5 with no launch.json: debug the flow in the active editor. A configuration without `flow` gets it too. */
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: FlowLaunchConfiguration): FlowLaunchConfiguration | undefined {
    const empty = !config.type && !config.request && !config.name;
    if (empty || !config.flow) {
      const file = activeFlowFile();
      if (!file) {
        void vscode.window.showInformationMessage('Open a .flow.json or .flow.ts file to debug it, or set "flow" in the launch configuration.');
        return undefined;
      }
      return empty ? debugConfigurationFor(file) : { ...config, flow: file.fsPath };
    }
    return config;
  }

  /** After ${file} and friends are substituted: the flow path made absolute, and the input asked for when none is given. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: FlowLaunchConfiguration,
  ): Promise<FlowLaunchConfiguration | undefined> {
    const flow = config.flow && !isAbsolute(config.flow) && folder ? join(folder.uri.fsPath, config.flow) : config.flow;
    if (!flow) return undefined;
    const resolved: FlowLaunchConfiguration = { ...config, flow };
    // A .flow.ts's code is the workspace's TypeScript: debugged with it, when VS Code's JavaScript debugger is there.
    if (resolved.debugCode === undefined && /\.flow\.ts$/i.test(flow) && vscode.extensions.getExtension(JS_DEBUG_EXTENSION) !== undefined) resolved.debugCode = true;
    if (hasInputSource(resolved)) return resolved;
    const compiled = await this.deps.compile(flow).catch(() => undefined);
    if (!compiled?.inputs || Object.keys(compiled.inputs).length === 0) return resolved;
    const flowName = compiled.flowId ?? basename(flow);
    const previous = compiled.flowId ? await this.deps.lastInput(vscode.Uri.file(flow), compiled.flowId).catch(() => undefined) : undefined;
    const input = await askForInput(flowName, compiled.inputs, previous);
    // Dismissed: no session starts, as with Run.
    if (input === undefined) return undefined;
    return { ...resolved, input };
  }

  /**
   * `weft dap` in a Node process of its own. The extension host's executable runs as plain Node with
   * ELECTRON_RUN_AS_NODE (in the desktop it is Electron). The flow's secrets go in its environment, where the
   * engine reads a secret the run is not given (never in the launch arguments, which the debug trace logs).
   */
  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const flow = (session.configuration as FlowLaunchConfiguration).flow;
    const names = flow ? ((await this.deps.compile(flow).catch(() => undefined))?.secretNames ?? []) : [];
    const secrets = names.length > 0 ? await this.deps.secretValues(names) : {};
    const cwd = session.workspaceFolder?.uri.fsPath;
    return new vscode.DebugAdapterExecutable(process.execPath, [this.cliScript, 'dap'], {
      env: { ...secrets, ELECTRON_RUN_AS_NODE: '1' },
      ...(cwd ? { cwd } : {}),
    });
  }
}
