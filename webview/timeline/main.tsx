// The execution panel's page: the shared theme, then the app in the root element webviewHtml made.

import '@vscode/codicons/dist/codicon.css';
import '../shared/theme.css';
import '../shared/nodeInspector.css';
import './timeline.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('weft-timeline');
if (root) createRoot(root).render(<App />);
