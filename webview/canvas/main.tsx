// The canvas webview's entry: the shared theme, xyflow's styles (overridden with VS Code's colours in canvas.css),
// and the app in #weft-canvas.

import '@vscode/codicons/dist/codicon.css';
import '../shared/theme.css';
import '@xyflow/react/dist/style.css';
import '../shared/nodeInspector.css';
import './canvas.css';
import { ReactFlowProvider } from '@xyflow/react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('weft-canvas');
if (root) {
  createRoot(root).render(
    <ReactFlowProvider>
      <App />
    </ReactFlowProvider>,
  );
}
