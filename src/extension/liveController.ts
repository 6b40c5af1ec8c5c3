// Live mode in the editor: "Activate" a flow and its webhook and schedule triggers are served on loopback, as
// `weft serve` serves them, until "Deactivate". The server is the CLI's own (`weft serve <files…>`) in a child
// process: flows (and the user code a .flow.ts imports) never run in the extension host, and the server behaves
// exactly as the tested CLI does. Changing the set of active flows restarts it; the stop is graceful, runs in flight
// are saved `interrupted` and the next start resumes them (spec section 8, docs/decisions.md).
//
// The active set is kept in the workspace state, so a reload re-activates what was active. Secrets go to the child
// through its environment (never through its command line, which other users of the machine can read).

import { fork, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../engine/history/runSummary';
import { newLiveFailureTracker, trackLiveFailures } from './liveFailures';
import type { LiveStatus } from '../live/liveServer';
import { STATUS_PATH } from '../live/webhookPath';
import type { RunController } from './runController';
import type { RunWorkerClient } from './runWorkerClient';
import type { SecretStore } from './secretStore';
import { historyDirFor } from './workspacePaths';

const ACTIVE_KEY = 'weft.live.activeFlows';
/** A fallback: the live monitor refreshes the status as each run ends (LiveMonitor.end), while it is connected. */
const STATUS_POLL_MS = 60_000;
const STOP_GRACE_MS = 8000;

export type LiveState = 'active' | 'inactive' | 'failed' | 'starting';

interface ServerProcess {
  child: ChildProcess;
  url?: string;
  files: string[];
  output: string[];
  exited: Promise<number | null>;
}

export class LiveController implements vscode.Disposable {
  private server: ServerProcess | undefined;
  private status: LiveStatus | undefined;
  private readonly lastLiveRunFailed = new Map<string, boolean>();
  /** Failed live runs seen per flow file (announced once each), and how many failed today: the CodeLens badge. */
  private readonly failures = newLiveFailureTracker();
  private readonly failureCounts = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly statusBar = vscode.window.createStatusBarItem('weft.live', vscode.StatusBarAlignment.Left, 9);
  private poll: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: vscode.Memento,
    private readonly cliPath: string,
    private readonly worker: RunWorkerClient,
    private readonly secrets: SecretStore,
    private readonly runs: RunController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusBar.name = 'Weft live mode';
    this.statusBar.command = 'weft.liveMenu';
    this.updateStatusBar();
  }

  /** Starts serving what was active before the window reloaded. */
  async restore(): Promise<void> {
    const files = this.activeFiles().filter((file) => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)));
    if (files.length > 0) await this.serialized(() => this.restart(files));
  }

  activeFiles(): string[] {
    return this.state.get<string[]>(ACTIVE_KEY, []);
  }

  liveState(file: vscode.Uri): LiveState {
    if (!this.activeFiles().includes(file.fsPath)) return 'inactive';
    if (this.starting) return 'starting';
    return this.lastLiveRunFailed.get(file.fsPath) ? 'failed' : 'active';
  }

  /** Failed live runs of the flow since local midnight (0 when it is not served). */
  failureCount(file: vscode.Uri): number {
    return this.activeFiles().includes(file.fsPath) ? (this.failureCounts.get(file.fsPath) ?? 0) : 0;
  }

  /** `http://127.0.0.1:8787`, while the server runs. */
  baseUrl(): string | undefined {
    return this.server?.url;
  }

  liveStatus(): LiveStatus | undefined {
    return this.status;
  }

  /** Compiles each flow first: one that does not compile is not activated, and the user is told why. */
  async activate(files: vscode.Uri[]): Promise<void> {
    const accepted: string[] = [];
    // The secrets each accepted flow reads, from this compile: the start right after needs no second one.
    const secretNames = new Map<string, string[]>();
    for (const file of files) {
      const compiled = await this.worker.compile(file.fsPath).catch((error: Error) => ({ diagnostics: [{ severity: 'error', message: error.message }], secretNames: [] }));
      const firstError = compiled.diagnostics.find((d) => d.severity === 'error');
      if (firstError) {
        void vscode.window
          .showErrorMessage(`${basename(file.fsPath)} is not activated: it does not compile (${firstError.message}).`, 'Show Problems')
          .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
        continue;
      }
      accepted.push(file.fsPath);
      secretNames.set(file.fsPath, compiled.secretNames);
    }
    const next = [...new Set([...this.activeFiles(), ...accepted])];
    // Already served: a restart would only interrupt the runs in flight.
    if (next.length === this.activeFiles().length && this.server) return;
    await this.serialized(() => this.restart(next, secretNames));
  }

  async deactivate(files?: vscode.Uri[]): Promise<void> {
    const removing = new Set(files ? files.map((f) => f.fsPath) : this.activeFiles());
    const next = this.activeFiles().filter((file) => !removing.has(file));
    if (next.length === this.activeFiles().length) return;
    await this.serialized(() => this.restart(next));
  }

  /** One restart at a time, in the order asked. */
  private serialized(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** `knownSecretNames`: the secrets of flows just compiled; the others are compiled to learn theirs. */
  private async restart(files: string[], knownSecretNames?: ReadonlyMap<string, string[]>): Promise<void> {
    await this.stopServer();
    await this.state.update(ACTIVE_KEY, files);
    if (files.length === 0) {
      this.status = undefined;
      this.fireChanged();
      return;
    }
    const starting = this.startServer(files, knownSecretNames);
    this.starting = starting.then(
      () => undefined,
      () => undefined,
    );
    this.fireChanged();
    try {
      await starting;
    } catch (error) {
      await this.state.update(ACTIVE_KEY, []);
      this.log.error(`Live mode did not start: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(`Weft live mode did not start: ${(error as Error).message}`, 'Show Log').then((c) => c && this.log.show());
    } finally {
      this.starting = undefined;
      this.fireChanged();
    }
  }

  private async startServer(files: string[], knownSecretNames?: ReadonlyMap<string, string[]>): Promise<void> {
    const config = vscode.workspace.getConfiguration('weft');
    const port = config.get<number>('live.webhookPort', 8787);
    const host = config.get<string>('live.host', '127.0.0.1');
    const rateLimit = config.get<number>('live.rateLimitPerSecond', 100);
    const perFile = await Promise.all(
      files.map(async (file) => knownSecretNames?.get(file) ?? (await this.worker.compile(file).then((c) => c.secretNames, () => [] as string[]))),
    );
    const secretNames = [...new Set(perFile.flat())];
    const secretValues = await this.secrets.values(secretNames);
    const historyDir = historyDirFor(vscode.Uri.file(files[0]));
    const args = ['serve', ...files, '--port', String(port), '--host', host, '--rate-limit', String(rateLimit), '--history', historyDir];
    const child = fork(this.cliPath, args, {
      cwd: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(files[0]))?.uri.fsPath,
      env: { ...process.env, ...secretValues, NO_COLOR: '1', ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const server: ServerProcess = {
      child,
      files,
      output: [],
      exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    };
    this.server = server;
    this.log.info(`Live mode: serving ${files.length} flow${files.length === 1 ? '' : 's'} (${files.map((f) => basename(f)).join(', ')})`);

    const ready = new Promise<string>((resolve, reject) => {
      const onLine = (line: string): void => {
        server.output.push(line);
        if (server.output.length > 200) server.output.shift();
        this.log.info(`[serve] ${line}`);
        const url = /^weft serve: .* on (http:\/\/\S+)$/.exec(line)?.[1];
        if (url) resolve(url);
      };
      lines(child.stdout!, onLine);
      lines(child.stderr!, onLine);
      void server.exited.then((code) => {
        const why = server.output.filter((l) => /error|not served|Nothing to serve|could not start/i.test(l));
        reject(new Error(why.length > 0 ? why.join(' ') : `weft serve exited with code ${code}.`));
      });
    });
    server.url = await ready;
    void server.exited.then((code) => {
      if (this.server !== server) return;
      this.server = undefined;
      this.status = undefined;
      this.log.error(`Live mode stopped unexpectedly (exit code ${code}).`);
      void vscode.window.showErrorMessage('Weft live mode stopped unexpectedly. See the Weft log.', 'Show Log').then((c) => c && this.log.show());
      this.fireChanged();
    });
    await this.refreshStatus();
    for (const problem of this.status?.problems ?? []) {
      void vscode.window.showWarningMessage(`${basename(problem.file)} is not served: ${problem.message}`);
    }
    this.poll = setInterval(() => void this.refreshStatus(), STATUS_POLL_MS);
  }

  private async stopServer(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server || server.child.exitCode !== null) return;
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), STOP_GRACE_MS);
    await server.exited;
    clearTimeout(timer);
    this.log.info('Live mode: server stopped.');
  }

  /** Reads /_weft/status, and whether each active flow's last live run failed. */
  async refreshStatus(): Promise<void> {
    const url = this.server?.url;
    if (!url) return;
    const before = JSON.stringify([...this.lastLiveRunFailed]);
    let countsChanged = false;
    try {
      this.status = JSON.parse(await get(`${url}${STATUS_PATH}`)) as LiveStatus;
    } catch (error) {
      this.log.warn(`Live status not read: ${(error as Error).message}`);
      return;
    }
    for (const flow of this.status.flows) {
      const history = this.runs.history(vscode.Uri.file(flow.file));
      const recent = await history.list({ flowId: flow.id, mode: 'run', limit: 200 }).then((runs) => runs.filter((r) => r.triggerType !== 'manual'));
      const [last] = recent;
      this.lastLiveRunFailed.set(flow.file, last?.status === 'failed');
      const { announce, count } = trackLiveFailures(this.failures, flow.file, recent, new Date().setHours(0, 0, 0, 0));
      if (this.failureCounts.get(flow.file) !== count) {
        this.failureCounts.set(flow.file, count);
        countsChanged = true;
      }
      this.announceFailures(flow.file, announce);
    }
    if (countsChanged || JSON.stringify([...this.lastLiveRunFailed]) !== before) this.fireChanged();
    else this.updateStatusBar();
  }

  /** A VS Code notification per new failed live run (weft.live.notifyFailures, default on); at most 3 at once. */
  private announceFailures(file: string, runs: RunSummary[]): void {
    if (runs.length === 0 || !vscode.workspace.getConfiguration('weft').get<boolean>('live.notifyFailures', true)) return;
    const shown = runs.slice(0, 3);
    for (const run of shown) {
      const error = run.error ? `: ${run.error.split('\n', 1)[0]}` : '';
      void vscode.window.showErrorMessage(`Live run of ${run.flowId} failed${error}`, 'Show Run').then((choice) => {
        if (choice) void vscode.commands.executeCommand('weft.showRun', vscode.Uri.file(file), run.id);
      });
    }
    if (runs.length > shown.length) void vscode.window.showErrorMessage(`${runs.length - shown.length} more live runs of ${basename(file)} failed.`);
  }

  private fireChanged(): void {
    this.updateStatusBar();
    this.changed.fire();
  }

  private updateStatusBar(): void {
    const count = this.activeFiles().length;
    if (count === 0 && !this.starting) {
      this.statusBar.hide();
      return;
    }
    const failed = this.activeFiles().filter((file) => this.lastLiveRunFailed.get(file));
    this.statusBar.text = this.starting
      ? '$(sync~spin) Weft live: starting…'
      : `$(radio-tower) Weft live: ${count} flow${count === 1 ? '' : 's'}${failed.length > 0 ? ` $(warning) ${failed.length} failed` : ''}`;
    this.statusBar.backgroundColor = failed.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const url = this.server?.url;
    this.statusBar.tooltip = url
      ? `Serving ${this.activeFiles().map((f) => basename(f)).join(', ')} on ${url}${failed.length > 0 ? `\nLast run failed: ${failed.map((f) => basename(f)).join(', ')}` : ''}\nClick for live mode actions.`
      : 'Weft live mode';
    this.statusBar.accessibilityInformation = { label: `Weft live mode: ${count} active flow${count === 1 ? '' : 's'}${failed.length ? `, ${failed.length} with a failed last run` : ''}`, role: 'button' };
    this.statusBar.show();
  }

  showLog(): void {
    this.log.show();
  }

  dispose(): void {
    void this.stopServer();
    this.statusBar.dispose();
    this.changed.dispose();
  }
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trimEnd();
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
      newline = buffered.indexOf('\n');
    }
  });
}

async function get(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return response.text();
}
