// The run history webview's entry point (built by esbuild.mjs into dist/webview/history.js).

import '@vscode/codicons/dist/codicon.css';
import '../shared/theme.css';
import './history.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('weft-history');
if (root) createRoot(root).render(<App />);
