/**
 * Moving one connection between the tray and a keeper (hand-over) and back (hand-back), so that
 * exactly one of them renews it: two refreshers would break a rotating refresh token.
 *
 * The sender first marks the connection `handing-over` (in its queue, after any check in flight;
 * from then on nothing here renews it), then seals its newest secrets. The receiver stores the
 * secrets, then the record, then plans it, and answers a receipt. With the receipt the sender
 * completes: the tokens leave the sender (the tray keeps the record to show "kept by …"; a keeper
 * forgets it). Interrupted at any step, the connection has one keeper or none, never two:
 * - before the receiver stored it: none until the sender cancels (then the sender keeps it again);
 * - after the receiver stored it: the receiver keeps it, the sender only waits for the receipt
 *   (taking the same package again answers the same receipt; a second package is refused).
 * Cancelling after the receiver took the package would make two: the sender's words say so.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { ActionResult } from '../../../preload/contract.js';
import type { ConnectionQueue } from '../connections/connection-queue.js';
import { entryMeta } from '../connections/entry-meta.js';
import type { SecretVault } from '../connections/secret-vault.js';
import type { ActivityLog } from '../keepalive/activity-log.js';
import type { KeepAlive } from '../keepalive/keep-alive.js';
import type { Clock } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { isTrustedSalesforceUrl } from '../salesforce/hosts.js';
import { loginBaseUrl } from '../settings/endpoints.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';
import { newPassphrase, OPEN_FAILURE_WORDS, openPackage, receiptFor, sealPackage, type HandoverPackage } from './package.js';

export interface HandoverDeps {
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly keepAlive: KeepAlive;
  readonly activity: ActivityLog;
  readonly clock: Clock;
  /** Keep-alive's runs and user actions on one connection run one at a time, in order. */
  readonly queue: ConnectionQueue;
  /** The views look at the connection again (the tray's rows). */
  readonly changed?: (ids: readonly string[]) => void;
}

export interface Sealed {
  readonly handoverId: string;
  /** The text the receiver takes (over its local API, or as a file). */
  readonly sealed: string;
  /** Shown once to the person moving it; it never travels with the package. */
  readonly passphrase: string;
}

/** After the receipt: the tray shows the connection as kept elsewhere; a keeper forgets it. */
export type Afterwards = 'show-as-kept' | 'forget';

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createHandover(deps: HandoverDeps) {
  const { settings, vault, keepAlive, clock } = deps;
  const touched = (id: string) => deps.changed?.([id]);

  /** Marks the connection handed over and seals it: from now on nothing here renews it. */
  function begin(id: string, names: { from: string; to: string }): Promise<Result<Sealed, string>> {
    return deps.queue.run(id, async () => {
      await vault.whenLoaded();
      const record = settings.connection(id);
      if (!record || record.disconnect || record.status === 'disconnecting') return err('That connection no longer exists or is being disconnected.');
      if (record.keptBy?.state === 'kept') return err(`${record.label} is kept by ${record.keptBy.keeper} already.`);
      if (record.keptBy) return err(`A hand-over of ${record.label} to ${record.keptBy.keeper} is under way: finish it with the keeper's receipt, or cancel it.`);
      const secrets = vault.secretsOf(id);
      if (!secrets) return err(`${record.label}'s secrets cannot be read here, so there is nothing to hand over. Re-authorize it first.`);
      const passphrase = newPassphrase();
      const handoverId = randomUUID();
      settings.putConnection({ ...record, keptBy: { keeper: names.to, handoverId, since: clock.now(), state: 'handing-over', receipt: receiptFor(handoverId, passphrase) } });
      keepAlive.forget(id);
      touched(id);
      const userKey = vault.userKey();
      const pkg: HandoverPackage = {
        v: 1,
        id: handoverId,
        from: names.from,
        to: names.to,
        createdAt: clock.now(),
        record: { ...record, keptBy: null, receivedFrom: null },
        secrets: { accessToken: secrets.accessToken, ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}), ...(secrets.clientSecret ? { clientSecret: secrets.clientSecret } : {}) },
        ...(userKey ? { userKey } : {}),
      };
      return ok({ handoverId, sealed: sealPackage(pkg, passphrase), passphrase });
    });
  }

  /** The receiver's receipt ends the hand-over: the tokens leave this side. */
  function complete(id: string, receipt: string, afterwards: Afterwards): Promise<ActionResult> {
    return deps.queue.run(id, async () => {
      const record = settings.connection(id);
      if (!record?.keptBy) return { ok: false, message: 'No hand-over of that connection is under way.' };
      if (record.keptBy.state === 'kept') return { ok: true, message: `${record.label} is kept by ${record.keptBy.keeper}.` };
      if (!sameText(receipt.trim().toUpperCase(), record.keptBy.receipt.toUpperCase())) return { ok: false, message: 'That receipt is not this hand-over’s: check the code the keeper printed.' };
      const keeper = record.keptBy.keeper;
      deps.activity.record({ kind: 'handed-over', connectionId: id, label: record.label, status: record.status, detail: `Kept by ${keeper} from now on.` });
      if (afterwards === 'forget') settings.removeConnection(id);
      else settings.putConnection({ ...record, keptBy: { ...record.keptBy, state: 'kept' } });
      await vault.remove(id);
      touched(id);
      return { ok: true, message: `${record.label} is kept by ${keeper} now; its tokens are no longer here.` };
    });
  }

  /** Only while the receiver has not taken it: then this side keeps the connection again. */
  function cancel(id: string): Promise<ActionResult> {
    return deps.queue.run(id, async () => {
      const record = settings.connection(id);
      if (record?.keptBy?.state !== 'handing-over') return { ok: false, message: 'No hand-over of that connection is under way.' };
      const kept = { ...record, keptBy: null };
      settings.putConnection(kept);
      keepAlive.track(kept);
      deps.activity.record({ kind: 'handover-cancelled', connectionId: id, label: record.label, status: record.status, detail: `Not handed over to ${record.keptBy.keeper}.` });
      touched(id);
      return { ok: true, message: `${record.label} is kept here again. If ${record.keptBy.keeper} took the package meanwhile, both would renew it: hand it over again instead.` };
    });
  }

  /** Checks a received record the way a connect checks its input: trusted hosts, and not a second copy. */
  function acceptable(pkg: HandoverPackage): string | null {
    const { record } = pkg;
    const extraHosts = settings.get().extraInstanceHosts;
    if (!isTrustedSalesforceUrl(record.instanceUrl, extraHosts)) return `Its instance address (${new URL(record.instanceUrl).host}) is not a Salesforce address this side trusts.`;
    if (!loginBaseUrl(record.loginBaseUrl).ok) return 'Its Salesforce login address is not one this side accepts.';
    const userKey = vault.userKey();
    if (userKey && pkg.userKey && userKey !== pkg.userKey) return 'It belongs to another Data2CRM user key than this side’s.';
    if (!userKey && !pkg.userKey) return 'This side has no Data2CRM user key and the package brings none.';
    const twin = settings.get().connections.find((c) => c.id !== record.id && c.applicationKey !== null && c.applicationKey === record.applicationKey);
    return twin ? `${twin.label} here already uses the same Data2CRM application.` : null;
  }

  /** Takes a sealed connection: secrets first, then the record, then keep-alive. Answers the receipt. */
  async function receive(sealed: string, passphrase: string): Promise<Result<{ record: ConnectionRecord; receipt: string; again: boolean }, string>> {
    await vault.whenLoaded();
    const opened = openPackage(sealed, passphrase);
    if (!opened.ok) return err(OPEN_FAILURE_WORDS[opened.error]);
    const pkg = opened.value;
    const receipt = receiptFor(pkg.id, passphrase);
    return deps.queue.run(pkg.record.id, async () => {
      const existing = settings.connection(pkg.record.id);
      if (existing?.receivedFrom?.handoverId === pkg.id) return ok({ record: existing, receipt, again: true });
      if (existing && !existing.keptBy) return err(`${existing.label} is kept here already.`);
      const problem = acceptable(pkg);
      if (problem) return err(`The connection was not taken: ${problem}`);
      if (!vault.userKey() && pkg.userKey) await vault.setUserKey(pkg.userKey);
      const now = clock.now();
      const record: ConnectionRecord = { ...pkg.record, keptBy: null, receivedFrom: { from: pkg.from, handoverId: pkg.id, at: now, receipt } };
      if (!(await vault.save(record.id, { ...pkg.secrets, meta: entryMeta(record, record.applicationKey, record.createdAt) }))) return err('Its secrets could not be stored here; nothing was taken.');
      settings.putConnection(record);
      keepAlive.track(record);
      deps.activity.record({ kind: 'received', connectionId: record.id, label: record.label, status: record.status, detail: `From ${pkg.from}.` });
      touched(record.id);
      return ok({ record, receipt, again: false });
    });
  }

  /**
   * The receipt this side answered for a package it took, asked for again by the package's id (the
   * sender never got the answer: this side stopped before it went out). Only for a package this
   * side took and still keeps; what it answers is what it stored when it took it.
   */
  function receiptOf(handoverId: string): Result<{ record: ConnectionRecord; receipt: string }, string> {
    const record = settings.get().connections.find((c) => c.receivedFrom?.handoverId === handoverId);
    if (!record) return err('No connection here came with that hand-over: this side did not take it (or gave it back since).');
    if (!record.receivedFrom?.receipt) return err(`${record.label} came with that hand-over, but was taken before receipts were kept here, so its receipt cannot be answered again.`);
    return ok({ record, receipt: record.receivedFrom.receipt });
  }

  return { begin, complete, cancel, receive, receiptOf };
}

export type Handover = ReturnType<typeof createHandover>;
