import type { Api } from '../../preload/api';

declare global {
  interface Window {
    /** The only bridge to main, exposed by preload/index.ts (or the UI tests' bridge). */
    readonly api: Api;
  }
}
