// `npx eslint .` (run by `npm test` before vitest): typescript-eslint's recommended rules, and the layers of the
// code base, so that an import against them fails the build instead of drifting in.
//
// The layers (issue 10, item 5), by folder:
//   src/shared     pure helpers: no Node, no packages, nothing else of Weft. Everyone may import it.
//   src/engine     the engine: itself, src/shared and packages (no vscode, no React).
//   src/api        the engine.
//   src/live       api and engine.
//   src/queue      queue mode (BullMQ, Redis): live, api and engine.
//   src/language   engine and protocol (never live: the language service reads the compiled triggers).
//   src/protocol   messages between the extension, the run worker and the webviews: types only from the rest of
//                  Weft (its zod schemas are its own).
//   webview/**     protocol, shared, and engine types; values only from the engine files listed in
//                  BROWSER_SAFE_ENGINE (they import nothing but types, so they bundle for the browser).
//   src/extension  anything: it is the only place `vscode` may be imported (and test/vscode, which drives it).
//   src/cli, src/worker, src/weft.ts   entry points: anything but `vscode`.
//
// Only import declarations are checked (static `import`/`export ... from`, type or value); the few `require()`s
// are in src/extension and test/bench, which may import anything.

import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Engine files a webview may import values from: pure, and importing only types themselves. */
const BROWSER_SAFE_ENGINE = [
  'errors', // describeError: the text of an error as the timeline shows it
  'run/runProjection', // the one view of a run, folded from events: the timeline and the canvas share it
];

const SRC_AREAS = ['api', 'cli', 'engine', 'extension', 'language', 'live', 'protocol', 'queue', 'shared', 'worker'];

/** An import specifier that leaves the importing file's folder for `src/<area>` (from inside src/). */
const intoSrc = (areas) => `^(\\.\\./)+(${areas.join('|')})(/|$)`;
/** The same from webview/ (whose relative imports reach src/ through `../../src/`). */
const intoSrcFromWebview = (areas) => `^(\\.\\./)+src/(${areas.join('|')})(/|$)`;
/** A bare specifier: an npm package or a Node built-in. */
const ANY_PACKAGE = '^[^./]';
const NODE_BUILTIN = '^node:';
const VSCODE = '^vscode$';
/** The `weft` path alias (tsconfig paths) is src/weft.ts, the public API: api, not engine. */
const WEFT_ALIAS = '^weft$';

const restrict = (regex, message, extra = {}) => ({ regex, caseSensitive: true, message, ...extra });
const noVsCode = restrict(VSCODE, '`vscode` is imported only in src/extension (and test/vscode): the rest runs outside VS Code.');
const noReact = restrict('^(react|react-dom|@xyflow/react|@tanstack/react-virtual)(/|$)', 'React belongs to the webviews.');

/** A flat-config block that sets the layer rule of `files`; one block per file, so the options never overlap. */
const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

const others = (...allowed) => SRC_AREAS.filter((area) => !allowed.includes(area));

/** The import rules of each folder. */
const LAYERS = {
  'src/shared/**': [
    restrict('^\\.\\./', 'src/shared imports nothing of Weft outside itself.'),
    restrict(ANY_PACKAGE, 'src/shared is pure: no Node built-ins, no packages.'),
  ],
  'src/engine/**': [
    restrict(intoSrc(others('engine', 'shared')), 'The engine imports only itself, src/shared and packages.'),
    restrict('^(\\.\\./)+webview(/|$)', 'The engine imports only itself, src/shared and packages.'),
    restrict(WEFT_ALIAS, "The engine does not import the public API ('weft' is src/weft.ts)."),
    noVsCode,
    noReact,
  ],
  'src/api/**': [
    restrict(intoSrc(others('api', 'engine', 'shared')), 'api imports the engine (and src/shared).'),
    noVsCode,
    noReact,
  ],
  'src/queue/**': [
    restrict(intoSrc(others('queue', 'live', 'api', 'engine', 'shared')), 'Queue mode imports live mode, api and the engine (and src/shared).'),
    noVsCode,
    noReact,
  ],
  'src/live/**': [
    restrict(intoSrc(others('live', 'api', 'engine', 'shared')), 'Live mode imports api and the engine (and src/shared).'),
    noVsCode,
    noReact,
  ],
  'src/language/**': [
    restrict(intoSrc(others('language', 'engine', 'protocol', 'shared')), 'The language service imports the engine and protocol (and src/shared).'),
    noVsCode,
    noReact,
  ],
  'src/protocol/**': [
    restrict(intoSrc(others('protocol', 'shared')), 'protocol imports only types from the rest of Weft (`import type`).', {
      allowTypeImports: true,
    }),
    noVsCode,
    noReact,
  ],
  'webview/**': [
    restrict(
      intoSrcFromWebview(others('engine', 'protocol', 'shared')),
      'A webview imports protocol, src/shared and engine types only: the rest of Weft does not run in a browser.',
    ),
    restrict(
      `^(\\.\\./)+src/engine/(?!(${BROWSER_SAFE_ENGINE.join('|')})$)`,
      'A webview imports engine types only (`import type`), or values from the browser-safe files listed in eslint.config.mjs.',
      { allowTypeImports: true },
    ),
    restrict(NODE_BUILTIN, 'A webview runs in a browser: no Node built-ins.'),
    restrict(WEFT_ALIAS, "A webview does not import the public API ('weft' is src/weft.ts)."),
    noVsCode,
  ],
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'test-artifacts/**', 'coverage/**', '.vscode-test/**', '.weft/**', 'test/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Node scripts: the build, the test runners.
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      // `_`-prefixed names are the house's way to say "deliberately unused" (a parameter kept for its position,
      // a property taken out of an object by destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read generated JSON (schemas, records) by walking it; the assertion is what checks its shape.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // tsconfig's noFallthroughCasesInSwitch already refuses a case that falls into the next one with statements;
    // empty cases grouped under one return, each with a comment saying why it is there, are the house style.
    rules: { 'no-fallthrough': ['error', { allowEmptyCase: true }] },
  },
  {
    // The .flow.ts scanners write `(inClass = true), (this.pos += 1)`: two steps of one branch of a hot loop.
    // (locateFlowSource.ts today; scanJavaScript.ts once issue 10's item 7 makes it the one scanner.)
    files: ['src/engine/load/locateFlowSource.ts', 'src/engine/load/scanJavaScript.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // The sandbox child (a TypeScript entry once issue 10's item 8 lands) reads `arguments` in its `log` on
    // purpose: its comment there says why a rest parameter is not used.
    files: ['src/engine/sandbox/sandboxChild.ts'],
    rules: { 'prefer-rest-params': 'off' },
  },
  {
    // The webview components carry `react-hooks/exhaustive-deps` directives where an effect deliberately runs on
    // fewer dependencies than it reads. eslint-plugin-react-hooks is not a dependency (yet): this placeholder
    // keeps those directives valid; it checks nothing.
    files: ['webview/**/*.tsx'],
    plugins: { 'react-hooks': { rules: { 'exhaustive-deps': { meta: { schema: [] }, create: () => ({}) } } } },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },

  // ---- Layers -------------------------------------------------------------------------------------------------
  {
    // Everything TypeScript: no vscode outside the extension (the blocks below repeat it with their own rules).
    files: ['**/*.ts', '**/*.tsx'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noVsCode] }] },
  },
  ...Object.entries(LAYERS).map(([folder, patterns]) => layer([folder], patterns)),
  {
    // The extension, and the tests that drive a real VS Code, are where `vscode` is imported.
    files: ['src/extension/**', 'test/vscode/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
