import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CUSTOM_SCHEME } from '../../shared/callback-urls.js';

const require = createRequire(import.meta.url);
// electron-builder's own JSON schema, shipped in its app-builder-lib package.
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('validates against electron-builder’s schema', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check catches a broken config (the test can fail)', () => {
    expect(validate({ ...config, linux: { target: 42 }, notAnOption: true })).toBe(false);
  });

  it('targets Linux, macOS and Windows and keeps keytar outside the asar', () => {
    expect(config).toMatchObject({
      appId: 'com.data2crm.tray',
      productName: 'Data2CRM Tray',
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(config['asarUnpack']).toContain('**/node_modules/keytar/**');
    for (const icon of ['build/icon.png', 'resources/tray/ok.png']) expect(readFileSync(icon).subarray(1, 4).toString()).toBe('PNG');
  });

  it('the installers claim the app-link callback scheme the sign-in sends', () => {
    expect(config['protocols']).toEqual([expect.objectContaining({ schemes: [CUSTOM_SCHEME] })]);
  });

  it('ships a tray icon per state, and a distinct template shape per state for macOS', () => {
    const states = ['ok', 'attention', 'error', 'busy', 'key-rejected', 'paused'];
    for (const suffix of ['', 'Template']) {
      const files = states.flatMap((state) => [`resources/tray/${state}${suffix}.png`, `resources/tray/${state}${suffix}@2x.png`]);
      const bodies = files.map((f) => readFileSync(f).toString('base64'));
      expect(new Set(bodies).size).toBe(files.length);
    }
  });
});
