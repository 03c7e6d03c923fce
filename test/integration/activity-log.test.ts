import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { createActivityLog } from '../../main/core/keepalive/activity-log.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-activity-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => createActivityLog(createStoreSettingsFile(join(dir, 'activity.json'), () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'activity' })), 500);
const TOKEN = '00D5g000004ABCD!ARQAQK9x8fJ2mV7yYqLkC0jPzQeTn4sWbHdGuRiOa1Xv';

describe('activity log', () => {
  it('is bounded, persisted across a reopen, and redacted', () => {
    const log = open();
    for (let i = 0; i < 620; i++) log.append({ kind: 'status', connectionId: 'a', label: 'Acme', at: i, from: 'healthy', to: 'retrying', detail: `attempt ${i} with ${TOKEN}`, consecutiveFailures: 1 });
    expect(log.entries()).toHaveLength(500);
    expect(log.entries()[0]?.at).toBe(120);
    const reopened = open();
    expect(reopened.entries()).toHaveLength(500);
    expect(reopened.entries().at(-1)?.message).toBe('attempt 619 with [redacted]');
    expect(readFileSync(join(dir, 'activity.json'), 'utf8')).not.toContain('ARQAQK9x8');
  });
});
