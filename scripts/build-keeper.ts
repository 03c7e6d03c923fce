// Bundles the keeper (main/keeper/index.ts and the core it composes) into one ESM file for plain Node 24:
// out/keeper/keeper.mjs, with its source map. keytar stays outside (a native module, loaded only
// when a Secret Service is tried); everything else, prom-client and conf included, is inside, so
// the Docker image needs no node_modules. Usage: node --import tsx scripts/build-keeper.ts
import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const KEEPER_BUNDLE = 'out/keeper/keeper.mjs';

/** `plugins` let a test swap one module (the shell tier does the same for the clock). */
export async function buildKeeper({ outfile = KEEPER_BUNDLE, plugins = [] as Plugin[] } = {}): Promise<string> {
  await build({
    entryPoints: ['main/keeper/index.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: true,
    external: ['keytar'],
    // CommonJS packages inside an ESM bundle still call require() for Node's own modules.
    banner: { js: "import { createRequire as __keeperRequire } from 'node:module'; const require = __keeperRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins,
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildKeeper();
