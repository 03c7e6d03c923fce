/**
 * Every label the README quotes for a person to look for exists in the UI: the renderer, the tray
 * model, or the sandbox's pages. State lines are computed by the same function the tray uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionStateLine } from '../../main/core/tray-model.js';

/** Quoted words that are not labels on our screens. */
const NOT_LABELS = new Set(['applications', 'AppIndicator and KStatusNotifierItem Support']);

const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f)).map((f) => join(dir, f));
const uiText = [...filesUnder('renderer/src'), 'shared/callback-urls.ts', 'main/core/tray-model.ts', 'test/sandbox/control-page.ts', 'test/sandbox/pages.ts']
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n')
  .replace(/\$\{state\.productName\}/g, 'Data2CRM Tray');

const now = Date.UTC(2026, 10, 28, 12);
const STATE_LINES = [
  connectionStateLine({ status: 'healthy', busy: false, lastVerifiedAt: now - 4 * 60_000, expiresAt: null, nextRunAt: null }, now),
  connectionStateLine({ status: 'healthy', busy: false, lastVerifiedAt: now, expiresAt: now + 12 * 60_000, nextRunAt: null }, now),
  connectionStateLine({ status: 'needs-reauthorization', busy: false, lastVerifiedAt: null, expiresAt: null, nextRunAt: null }, now),
  connectionStateLine({ status: 'healthy', busy: false, lastVerifiedAt: now, expiresAt: null, nextRunAt: null, keptBy: { keeper: 'keeper-1', pending: true } }, now),
  connectionStateLine({ status: 'healthy', busy: false, lastVerifiedAt: now, expiresAt: null, nextRunAt: null, keptBy: { keeper: 'keeper-1', pending: false } }, now),
];

/** The quoted strings of the README's prose for users (everything before Architecture; code is commands and output, not labels). */
function quotedLabels(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const forUsers = readme.slice(0, readme.indexOf('## Architecture')).replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ').replace(/\s*\n\s*/g, ' ');
  return [...new Set([...forUsers.matchAll(/"([^"]+)"/g)].map((m) => m[1]!))].filter((label) => !NOT_LABELS.has(label));
}

describe('README labels', () => {
  it('quotes labels from the screens at all (the check reads the right part)', () => {
    expect(quotedLabels().length).toBeGreaterThan(20);
  });

  it.each(quotedLabels())('"%s" exists in the UI', (label) => {
    const found = STATE_LINES.includes(label) || uiText.includes(label) || uiText.includes(label.replace(/'/g, '&apos;'));
    expect(found, `README quotes "${label}", which no screen shows`).toBe(true);
  });
});
