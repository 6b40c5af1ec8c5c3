// Shared set-up of the webview component tests (happy-dom + @testing-library/react). `waitFor` gives up after one
// second by default; with the whole suite sharing two cores a React commit can take longer than that, so the
// component tests wait up to five (a passing wait returns as soon as its condition holds).
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5000 });
