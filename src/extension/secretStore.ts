// Secrets live in VS Code's SecretStorage (the OS keychain), never in settings or files. SecretStorage cannot
// list its keys, so the names are kept as one more secret.

import * as vscode from 'vscode';

const PREFIX = 'weft.secret.';
const NAMES_KEY = 'weft.secretNames';

export class SecretStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
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

  dispose(): void {
    this.changed.dispose();
  }
}

export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
