// The Insights webview's entry point (built by esbuild.mjs into dist/webview/insights.js).

import '@vscode/codicons/dist/codicon.css';
import '../shared/theme.css';
import './insights.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('weft-insights');
if (root) createRoot(root).render(<App />);
