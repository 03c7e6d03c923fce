/**
 * Lets the bench load main/adapters/tray.ts (the tray presenter the app runs): its 'electron'
 * import resolves to electron-tray-shim.ts. Imported for its effect before the presenter.
 */
import { register } from 'node:module';

const shim = new URL('./electron-tray-shim.ts', import.meta.url).href;
const hook = `export async function resolve(specifier, context, next) { return specifier === 'electron' ? { url: ${JSON.stringify(shim)}, shortCircuit: true } : next(specifier, context); }`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
