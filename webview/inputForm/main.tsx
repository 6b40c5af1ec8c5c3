// The run input form's entry point (built by esbuild.mjs into dist/webview/inputForm.js).

import '@vscode/codicons/dist/codicon.css';
import '../shared/theme.css';
import './inputForm.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('weft-inputForm');
if (root) createRoot(root).render(<App />);
