// The HTML shell of every Weft webview: a strict Content Security Policy (no inline script, scripts only with this
// page's nonce, no network), the panel's bundle from dist/webview/, and one root element whose id tells the panels
// apart (the e2e tests find a panel's frame by it).

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';

export type WebviewApp = 'timeline' | 'history' | 'canvas';

/** Options for a webview that runs one of our bundles and reads nothing else from disk. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    enableFindWidget: true,
  };
}

/** The page: CSP with a fresh nonce, the shared and the app's styles, the app's script. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: WebviewApp, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (name: string): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name));
  const cssPath = vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${app}.css`).fsPath;
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
${existsSync(cssPath) ? `<link rel="stylesheet" nonce="${nonce}" href="${asset(`${app}.css`)}">` : ''}
</head>
<body>
<div id="weft-${app}" class="weft-root" data-app="${app}"></div>
<script nonce="${nonce}" src="${asset(`${app}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
