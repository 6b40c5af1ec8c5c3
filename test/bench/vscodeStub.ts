// A stand-in for the `vscode` module, enough for the extension's activate() to run in plain Node, so the
// benchmark can time activation without a VS Code. Every unknown member is a callable, constructible no-op.

const noop = (): void => undefined;
const disposable = { dispose: noop };

function deep(): unknown {
  const target = function () {
    return undefined;
  };
  return new Proxy(target, {
    get: (_t, key) => {
      if (key === 'then') return undefined;
      if (key === Symbol.iterator) return function* () {};
      if (key === 'dispose') return noop;
      return deep();
    },
    apply: () => disposable,
    construct: () => deep() as object,
  });
}

class EventEmitter {
  event = (): typeof disposable => disposable;
  fire = noop;
  dispose = noop;
}

// The bundle copies the module's own keys (esbuild's __toESM), so every namespace the extension names is listed.
const NAMESPACES = ['commands', 'languages', 'tests', 'extensions', 'env', 'Uri', 'Range', 'Position', 'Location', 'Hover', 'CodeLens', 'CompletionItem',
  'CompletionItemKind', 'CodeAction', 'CodeActionKind', 'Diagnostic', 'DiagnosticSeverity', 'StatusBarAlignment', 'TestRunProfileKind', 'TestMessage',
  'TestRunRequest', 'WorkspaceEdit', 'ThemeIcon', 'CancellationTokenSource', 'ViewColumn', 'DocumentSymbol', 'SymbolKind', 'MarkdownString', 'TextEdit',
  'SnippetString', 'ThemeColor', 'debug'];

export const vscodeStub = new Proxy(
  {
    ...Object.fromEntries(NAMESPACES.map((name) => [name, deep()])),
    EventEmitter,
    workspace: new Proxy({ textDocuments: [], onDidOpenTextDocument: () => disposable }, { get: (t, k) => (k in t ? t[k as keyof typeof t] : deep()) }),
    window: new Proxy(
      {
        createOutputChannel: () => ({ info: noop, warn: noop, error: noop, show: noop, dispose: noop }),
        // activate() reports its own failure this way; the benchmark must not time a failed activation.
        showErrorMessage: (message: string) => {
          throw new Error(message);
        },
      },
      { get: (t, k) => (k in t ? t[k as keyof typeof t] : deep()) },
    ),
  } as Record<string, unknown>,
  { get: (t, k) => (k in t ? t[k as string] : deep()) },
);
