// The part of vscode.Uri that unit tests of extension code meet: file URIs only. For `vi.mock('vscode', …)`
// factories (which run before imports, so they load this with `await import`).

export class FakeFileUri {
  constructor(readonly path: string) {}
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `file://${this.path}`;
  }
  static file(path: string): FakeFileUri {
    return new FakeFileUri(path);
  }
}
