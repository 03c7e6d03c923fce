/**
 * A state database that cannot be read at start is moved aside and the user is told, through the
 * whole core (composeCore) over a real corrupt file, the real keychain and the sandbox: the
 * snapshot's header and banner words, one activity entry, one log line without secrets, and what
 * comes next (its connections listed under "Found in the keychain", recoverable).
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/compose.js';
import { DAMAGED_DATABASE } from '../../shared/state-words.js';
import type { Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import { composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';
import { externalTokens } from '../support/sandbox-tokens.js';

let sandbox: Sandbox;
let h: ConnectHarness;
let core: Core | undefined;

harnessPerTest(
  (parts) => {
    ({ sandbox, h } = parts);
    core = undefined;
  },
  { beforeCleanup: () => core?.keepAlive.stop() },
);

/** Damage as a disk or a crash would leave it: the file is no longer a database. */
function corruptStateDb(path: string): void {
  for (const side of [`${path}-wal`, `${path}-shm`]) if (existsSync(side)) rmSync(side);
  writeFileSync(path, 'SQLite format 3\u0000 but then garbage, not a database page'.repeat(64));
}

describe('a damaged state database', () => {
  it('is set aside and told: header line, banner words, activity entry, log line without secrets; its connection is found in the keychain and recovers', async () => {
    const t = await externalTokens(sandbox);
    const connected = await h.connections.connectManual({ label: 'Alpha', crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
    if (!connected.ok) throw new Error(connected.error.message);
    corruptStateDb(h.statePath);

    core = await composeOverHarness(h, h.store);
    core.keepAlive.start();
    await core.secretsLoaded;

    const aside = readdirSync(dirname(h.statePath)).filter((f) => f.startsWith('state.db.unreadable-'));
    expect(aside).toHaveLength(1);
    const snapshot = core.app.snapshot();
    expect(snapshot.damagedDatabase).toEqual({ at: expect.any(Number) });
    expect(snapshot).toMatchObject({ status: 'attention', summary: `No connections · ${DAMAGED_DATABASE} · 1 found in the keychain (see Settings → Connections)` });
    expect(snapshot.connections).toEqual([]);
    expect(snapshot.orphans).toEqual([expect.objectContaining({ id: connected.value.id, label: 'Alpha' })]);

    const notices = core.app.activity().filter((e) => e.kind === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toContain('could not be read, so it was set aside');
    expect(notices[0]!.message).toContain('Found in the keychain');

    const logged = h.logger.lines.filter((l) => l.message.includes('moved aside'));
    expect(logged).toEqual([expect.objectContaining({ level: 'warn' })]);
    expect(JSON.stringify(h.logger.lines)).not.toContain(t.accessToken);

    // What comes next: Recover brings the connection back from its keychain entry and Data2CRM.
    expect(await core.app.recoverOrphan(connected.value.id)).toMatchObject({ ok: true });
    await core.keepAlive.refreshNow(connected.value.id);
    expect(core.app.snapshot().connections).toEqual([expect.objectContaining({ id: connected.value.id, label: 'Alpha', status: 'healthy' })]);
    expect(core.app.snapshot().orphans).toEqual([]);
  }, 60_000);

  it('a readable database tells nothing', async () => {
    core = await composeOverHarness(h, h.store);
    await core.secretsLoaded;
    expect(core.app.snapshot().damagedDatabase).toBeUndefined();
    expect(core.app.activity().filter((e) => e.kind === 'notice')).toEqual([]);
  }, 60_000);
});
