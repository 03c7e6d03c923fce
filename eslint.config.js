// ESLint: typescript-eslint, react-hooks, and the project's two fences:
//  1. main/core, main/ipc, preload/contract.ts, preload/api.ts, shared/ and renderer never import
//     electron, keytar or electron-store (the core stays testable without Electron);
//  2. raw ipcMain / ipcRenderer / webContents.send only inside the two IPC wrappers.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NATIVE_MODULES = ['electron', 'keytar', 'electron-store'];
const fenceMessage = 'Only main/adapters (and main/index.ts, preload/index.ts) may use Electron, keytar or electron-store: add a port in main/core/ports.ts and an adapter instead.';
const rawIpcMessage = 'Use the typed IPC wrappers (main/adapters/ipc-main-bridge.ts, preload/index.ts) instead of raw ipcMain/ipcRenderer/webContents.send.';

const rawIpcSyntax = [
  { selector: "CallExpression[callee.property.name='send'][callee.object.property.name='webContents']", message: rawIpcMessage },
  { selector: "CallExpression[callee.property.name='send'][callee.object.name='webContents']", message: rawIpcMessage },
  { selector: "MemberExpression[property.name=/^ipc(Main|Renderer)$/]", message: rawIpcMessage },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: rawIpcMessage }] }],
      'no-restricted-syntax': ['error', ...rawIpcSyntax],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Fence 1 (and fence 2 implied): no Electron world at all in pure code.
    files: ['main/core/**', 'main/ipc/**', 'preload/contract.ts', 'preload/api.ts', 'shared/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: NATIVE_MODULES.map((name) => ({ name, message: fenceMessage })),
        patterns: [{ group: NATIVE_MODULES.map((name) => `${name}/*`), message: fenceMessage }],
      }],
    },
  },
  {
    // The IPC wrappers: the only two places allowed to speak raw IPC.
    files: ['main/adapters/ipc-main-bridge.ts', 'preload/index.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // The Electron stand-in implements ipcMain (typed against Electron's whole module), and the
    // shell tests inspect what was registered.
    files: ['test/support/electron-stand-in/**', 'test/shell/**'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
);
