// The HTML shell of every Weft webview: a strict Content Security Policy (no inline script, scripts only with this
// page's nonce, no network), the panel's bundle from dist/webview/, and one root element whose id tells the panels
// apart (the e2e tests find a panel's frame by it).

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export type WebviewApp = 'timeline' | 'history' | 'canvas' | 'inputForm' | 'insights';

/** Options for a webview that runs one of our bundles and reads nothing else from disk. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    enableFindWidget: true,
  };
}

/**
 * The page: CSP with a fresh nonce, the app's styles and script inlined under that nonce. Inlined, because a
 * webview fetches each resource through its service worker and the extension host (about a second for a 300 KB
 * script in code-server), while the HTML itself arrives in one message. The CSP stays as strict: an inline script
 * or style without this page's nonce does not run.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: WebviewApp, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'webview').fsPath;
  const script = existsSync(join(dir, `${app}.js`))
    ? bundleText(join(dir, `${app}.js`))
    : // A checkout that was not built: say so in the panel rather than show nothing.
      `document.getElementById('weft-${app}').textContent = ${JSON.stringify(`Weft's ${app} view is not built (dist/webview/${app}.js is missing): run npm run build.`)};`;
  const css = existsSync(join(dir, `${app}.css`)) ? withResourceUrls(bundleText(join(dir, `${app}.css`)), webview, extensionUri) : '';
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    // Styles from our own files; React and xyflow set styles through the CSSOM (element.style), which CSP allows.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
${css ? `<style nonce="${nonce}">${css.replace(/<\/style/gi, '<\\/style')}</style>` : ''}
</head>
<body>
<div id="weft-${app}" class="weft-root" data-app="${app}"></div>
<script nonce="${nonce}">${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>`;
}

/**
 * The CSS's relative `url(./file)`s (the codicon font esbuild put next to the bundles) made absolute: inlined in
 * the page, they would resolve against the page's own address, where nothing is served. The webview serves
 * dist/webview/ (localResourceRoots) and the CSP allows fonts from there (font-src).
 */
function withResourceUrls(css: string, webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const base = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview')).toString();
  return css.replace(/url\((['"]?)\.\/([^'")]+)\1\)/g, (_match, quote: string, file: string) => `url(${quote}${base}/${file}${quote})`);
}

const bundles = new Map<string, { mtimeMs: number; text: string }>();

/** A bundle's text, read once per build (the file's mtime tells a rebuilt one). */
function bundleText(path: string): string {
  const mtimeMs = statSync(path).mtimeMs;
  const cached = bundles.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return cached.text;
  const text = readFileSync(path, 'utf8');
  bundles.set(path, { mtimeMs, text });
  return text;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
