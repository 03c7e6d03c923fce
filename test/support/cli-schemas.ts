/** The command line's published JSON schemas (docs/cli/), compiled to check real output against. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const read = (name: string) => JSON.parse(readFileSync(`docs/cli/${name}`, 'utf8')) as { $id: string };
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addFormat('date-time', (text: string) => ISO_8601.test(text) && !Number.isNaN(Date.parse(text)));
const status = read('status.schema.json');
const watch = read('watch.schema.json');
ajv.addSchema(status).addSchema(watch);

/** The schema's complaints about a value (empty: it conforms). */
export function schemaErrors(name: 'status' | 'watch', value: unknown): string[] {
  const validate = ajv.getSchema((name === 'status' ? status : watch).$id)!;
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
}
