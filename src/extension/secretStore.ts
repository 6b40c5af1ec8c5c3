// Secrets live in VS Code's SecretStorage (the OS keychain), never in settings or files. SecretStorage cannot
// list its keys, so the names are kept as one more secret.

import * as vscode from 'vscode';

const PREFIX = 'weft.secret.';
const NAMES_KEY = 'weft.secretNames';
/** The `weft.live.serverUrl` server's API token: not a flow secret (flows cannot read it), so not among the names. */
const LIVE_SERVER_TOKEN_KEY = 'weft.live.serverToken';

export class SecretStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly tokenChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeLiveServerToken = this.tokenChanged.event;
  private cachedNames: Set<string> | undefined;

  constructor(private readonly storage: vscode.SecretStorage) {}

  async names(): Promise<Set<string>> {
    if (!this.cachedNames) {
      const raw = await this.storage.get(NAMES_KEY);
      this.cachedNames = new Set(raw ? (JSON.parse(raw) as string[]) : []);
    }
    return this.cachedNames;
  }

  /** The names known without waiting (after the first `names()`), for diagnostics. */
  knownNames(): ReadonlySet<string> | undefined {
    return this.cachedNames;
  }

  async values(names: Iterable<string>): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = await this.storage.get(PREFIX + name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  async set(name: string, value: string): Promise<void> {
    await this.storage.store(PREFIX + name, value);
    const names = await this.names();
    names.add(name);
    await this.storage.store(NAMES_KEY, JSON.stringify([...names].sort()));
    this.changed.fire();
  }

  async delete(name: string): Promise<void> {
    await this.storage.delete(PREFIX + name);
    const names = await this.names();
    names.delete(name);
    await this.storage.store(NAMES_KEY, JSON.stringify([...names].sort()));
    this.changed.fire();
  }

  liveServerToken(): Promise<string | undefined> {
    return Promise.resolve(this.storage.get(LIVE_SERVER_TOKEN_KEY));
  }

  /** An empty token removes it. */
  async setLiveServerToken(token: string): Promise<void> {
    if (token) await this.storage.store(LIVE_SERVER_TOKEN_KEY, token);
    else await this.storage.delete(LIVE_SERVER_TOKEN_KEY);
    this.tokenChanged.fire();
  }

  dispose(): void {
    this.changed.dispose();
    this.tokenChanged.dispose();
  }
}

export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
