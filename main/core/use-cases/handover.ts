/**
 * Handing one connection over to a keeper, and taking one handed back, as a person does it from
 * the app's window or the command line: thin steps over handover/handover.ts, which decides.
 * The passphrase is shown to the person once (the window's one step, or the command's one line)
 * and goes nowhere else: not into the log, the settings, a notice or an activity row.
 */
import type { ActionResult } from '../../../preload/contract.js';
import type { Afterwards, Handover } from '../handover/handover.js';
import type { SaveHandoverFile } from '../ports.js';
import type { UseCaseDeps } from './deps.js';

/** Who this side is in a hand-over: its name in the package, and what a receipt does here. */
export interface HandoverFace {
  /** "the tray on laptop-7", "keeper-1": what the receiver's log and activity say it came from. */
  readonly name: string;
  /** The app keeps the record to show "kept by …"; a keeper forgets it. */
  readonly afterwards: Afterwards;
}

export type HandoverDeps = Pick<UseCaseDeps, 'settings' | 'logger'> & {
  readonly handover: Handover;
  readonly handoverFace: HandoverFace;
  readonly saveHandoverFile: SaveHandoverFile;
};

export type SealedResult = { ok: true; sealed: string; passphrase: string } | { ok: false; message: string };
export type FileResult = { ok: true; message: string; passphrase: string } | { ok: false; message: string };
export type ReceiptResult = { ok: true; message: string; receipt: string; id: string } | { ok: false; message: string };
export type ReceivedResult = { ok: true; message: string; receipt: string; id: string; again: boolean } | { ok: false; message: string };

/** A file name people recognise: the connection's name, made safe for any file system. */
const fileNameFor = (label: string) => `${label.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'connection'}.d2ckeep`;

export function createHandoverActions(deps: HandoverDeps) {
  const { handover, handoverFace: face } = deps;

  /** Seals it for `to` (the command line carries the sealed text and the passphrase itself). */
  async function beginHandover(id: string, to: string): Promise<SealedResult> {
    const sealed = await handover.begin(id, { from: face.name, to });
    if (!sealed.ok) return { ok: false, message: sealed.error };
    deps.logger.info('handover: begun', { connection: id, to });
    return { ok: true, sealed: sealed.value.sealed, passphrase: sealed.value.passphrase };
  }

  return {
    beginHandover,

    /** The window's "Hand over to a keeper…": seals it into the file the person saves; cancelled if none is saved. */
    async handOverToFile(id: string, to: string): Promise<FileResult> {
      const label = deps.settings.connection(id)?.label ?? 'connection';
      const sealed = await beginHandover(id, to);
      if (!sealed.ok) return sealed;
      let path: string | null;
      try {
        path = await deps.saveHandoverFile(sealed.sealed, fileNameFor(label));
      } catch (error) {
        deps.logger.warn('handover: the file could not be saved', { connection: id, error: error instanceof Error ? error.message : typeof error });
        path = null;
      }
      if (path === null) {
        // Nothing left this machine: this side keeps it again.
        await handover.cancel(id);
        return { ok: false, message: `Nothing was handed over: no file was saved. ${label} is kept here as before.` };
      }
      return { ok: true, passphrase: sealed.passphrase, message: `Sealed into ${path}. Nothing here renews ${label} until you finish with ${to}’s receipt or cancel.` };
    },

    /** The receiver's receipt: the tokens leave this side. */
    completeHandover(id: string, receipt: string): Promise<ActionResult> {
      return handover.complete(id, receipt, face.afterwards);
    },

    /** Only while the receiver has not taken it (the answer's words say what a late cancel would do). */
    cancelHandover(id: string): Promise<ActionResult> {
      return handover.cancel(id);
    },

    /** Takes a sealed connection (a hand-back to the app, a hand-over to a keeper); answers the receipt. */
    async receiveHandover(sealed: string, passphrase: string): Promise<ReceivedResult> {
      const received = await handover.receive(sealed, passphrase);
      if (!received.ok) return { ok: false, message: received.error };
      const { record, receipt, again } = received.value;
      deps.logger.info('handover: received', { connection: record.id, again });
      return { ok: true, receipt, id: record.id, again, message: `${again ? 'Already taken' : 'Taken'}: ${record.label}; renewed here from now on. Give the receipt ${receipt} to where it came from to finish.` };
    },

    /** The receipt of a package this side took, asked for again by its id (the sender missed the answer). */
    handoverReceipt(handoverId: string): ReceiptResult {
      const found = handover.receiptOf(handoverId);
      if (!found.ok) return { ok: false, message: found.error };
      const { record, receipt } = found.value;
      return { ok: true, receipt, id: record.id, message: `${record.label} was taken here (it came from ${record.receivedFrom!.from}) and is renewed here.` };
    },
  };
}
