// Bundles the `data2crm-tray` command into one minified CommonJS file, out/cli/data2crm-tray.cjs,
// so it starts as plain Node in a few tens of milliseconds (no TypeScript loader, no module
// resolution at run time). Run by `npm install` (prepare), `npm run build` and `npm test`; the
// packaged app ships it in resources/cli/ (electron-builder.yml).
//
// The answers the command line reads are checked against their schemas (cli/answer-checks.ts).
// Building zod's schemas when the process starts costs more than the rest of the command, so the
// bundle checks with validators generated here from those same schemas: zod → JSON Schema
// (z.toJSONSchema) → ajv's standalone code. Nothing is written by hand twice.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { Ajv2020 } = require('ajv/dist/2020');
const standaloneCode = require('ajv/dist/standalone').default;

/** The JSON Schemas of cli/answer-checks.ts's CHECKED_SCHEMAS, computed by the schemas' own code. */
async function jsonSchemas() {
  const dir = mkdtempSync(join(tmpdir(), 'd2c-cli-schemas-'));
  try {
    const file = join(dir, 'schemas.mjs');
    await build({
      stdin: {
        contents: `import { z } from 'zod';
import { CHECKED_SCHEMAS } from './cli/answer-checks.ts';
const json = (schema) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw' });
export const schemas = { frame: json(CHECKED_SCHEMAS.frame), delta: json(CHECKED_SCHEMAS.delta), results: Object.fromEntries(Object.entries(CHECKED_SCHEMAS.results).map(([op, s]) => [op, json(s)])) };`,
        resolveDir: root,
        loader: 'ts',
      },
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
    });
    return (await import(pathToFileURL(file).href)).schemas;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ES module source exporting `checks` (the AnswerChecks of cli/answer-checks.ts) as ajv validators. */
function generatedChecks(schemas) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, code: { source: true, esm: true } });
  const ops = Object.keys(schemas.results);
  ajv.addSchema(schemas.frame, 'frame').addSchema(schemas.delta, 'delta');
  ops.forEach((op, i) => ajv.addSchema(schemas.results[op], `r${i}`));
  const code = standaloneCode(ajv, { frame: 'frame', delta: 'delta', ...Object.fromEntries(ops.map((_, i) => [`r${i}`, `r${i}`])) });
  return `${code}
const results = { ${ops.map((op, i) => `${JSON.stringify(op)}: r${i}`).join(', ')} };
export const checks = {
  frame: (value) => frame(value),
  delta: (value) => delta(value),
  result: (op, value) => (Object.hasOwn(results, op) ? results[op](value) : false),
};
`;
}

const generated = generatedChecks(await jsonSchemas());

const withGeneratedChecks = {
  name: 'generated-answer-checks',
  setup(plugin) {
    plugin.onResolve({ filter: /\/answer-checks\.js$/ }, (args) => (args.importer.startsWith(join(root, 'cli')) ? { path: 'answer-checks', namespace: 'generated' } : undefined));
    plugin.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({ contents: generated, loader: 'js', resolveDir: root }));
  },
};

await build({
  entryPoints: ['cli/data2crm-tray.ts'],
  absWorkingDir: root,
  outfile: 'out/cli/data2crm-tray.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 43's Node is 24; a checkout may run it with an older Node, down to 20.
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [withGeneratedChecks],
  // The bundle must not carry zod: that is what the generated checks are for.
  metafile: true,
}).then((result) => {
  const zod = Object.keys(result.metafile.inputs).filter((path) => path.includes('node_modules/zod/'));
  if (zod.length > 0) throw new Error(`the command line's bundle pulls in zod (${zod[0]}): import its schemas only in cli/answer-checks.ts`);
});
