/**
 * `handover <connection>`: moves one connection from the app to a keeper, so that exactly one of
 * them renews it. The app decides every step (main/core/handover); this command carries the sealed
 * package and says, whatever step fails, what state the connection is in and what to do.
 *
 * --to-socket: in one go. The keeper is reached first (nothing is begun when it cannot be), the
 * app seals the connection (from then on it does not renew it), the keeper takes the package over
 * its socket and answers a receipt, the app completes with it. The keeper refused: it never took
 * it, so the app cancels (and keeps it again). The keeper stopped answering after the package was
 * sent: it may have taken it, so nothing is cancelled; the same package is sent again once the
 * keeper answers (taking it again answers the same receipt), for up to --wait seconds (default
 * RESEND_WITHIN_MS). Run again on a hand-over still under way (the keeper came back later): the
 * keeper is asked for the receipt of that package (by its id, which only the keeper that took it
 * can answer), and the app completes with it; a keeper that did not take it says so.
 * --out FILE: the sealed package into a new file; the passphrase alone on stdout (what to do next
 * on stderr), to type into the keeper's `receive`; then --receipt CODE, or --cancel.
 */
import { writeFileSync } from 'node:fs';
import type { ActionResult } from '../preload/contract.js';
import type { OperationResult } from '../shared/local-api.js';
import { openClient, type LocalApiClient } from './client.js';
import { CliError, ConnectionLost, EXIT, type ExitCode } from './errors.js';
import { findConnection } from './find-connection.js';
import type { Io } from './commands.js';

/** How long a keeper that stopped answering mid-hand-over is waited for (a service manager restarts it in seconds); --wait changes it. */
export const RESEND_WITHIN_MS = 60_000;
export const MAX_WAIT_SECONDS = 3600;
const RETRY_EVERY_MS = 1_000;

export type HandoverStep = { kind: 'to-socket'; socket: string; name: string; waitMs?: number } | { kind: 'out'; file: string; name: string } | { kind: 'receipt'; receipt: string } | { kind: 'cancel' };

const PROGRAM = 'data2crm-tray';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the keeper is called when --name is not given: where it listens, as long as that reads. */
export const defaultKeeperName = (socket: string | null) => (socket && socket.length <= 86 ? `the keeper at ${socket}` : 'a keeper');

function said(io: Io, result: ActionResult): ExitCode {
  if (result.ok) {
    io.out(`${result.message ?? 'Done.'}\n`);
    return EXIT.ok;
  }
  io.err(`${PROGRAM}: ${result.message}\n`);
  return EXIT.needsYou;
}

export async function handover(api: LocalApiClient, io: Io, query: string, step: HandoverStep): Promise<ExitCode> {
  const { connections } = await api.call('state:get');
  const connection = findConnection(connections, query);
  const id = connection.id;
  switch (step.kind) {
    case 'receipt':
      return said(io, await api.call('handover:complete', { id, receipt: step.receipt }));
    case 'cancel':
      return said(io, await api.call('handover:cancel', { id }));
    case 'out':
      return toFile(api, io, id, connection.label, step);
    case 'to-socket':
      if (connection.keptBy?.pending && connection.keptBy.handoverId) return finishFromKeeper(api, io, id, connection.label, { keeper: connection.keptBy.keeper, handoverId: connection.keptBy.handoverId }, step.socket);
      return toSocket(api, io, id, connection.label, step);
  }
}

async function toFile(api: LocalApiClient, io: Io, id: string, label: string, step: { file: string; name: string }): Promise<ExitCode> {
  const sealed = await api.call('handover:begin', { id, to: step.name });
  if (!sealed.ok) return said(io, sealed);
  try {
    writeFileSync(step.file, sealed.sealed, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Nothing left this machine: the app keeps it again.
    const cancelled = await api.call('handover:cancel', { id });
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EEXIST' ? EXIT.usage : EXIT.needsYou, `${code === 'EEXIST' ? `${step.file} already exists: give a new file name` : `Could not write ${step.file} (${code ?? 'error'})`}. Nothing was handed over${cancelled.ok ? `: ${label} is kept by the app as before` : ''}.`);
  }
  io.out(`${sealed.passphrase}\n`);
  io.err(
    [
      `Sealed ${label} into ${step.file} (readable by you only). The line above is its passphrase, shown this once.`,
      `The app no longer renews ${label}: finish soon. On the keeper's machine, with the keeper stopped: its \`receive ${step.file}\` command (it asks for the passphrase; README: Run it on a server), then here:`,
      `  ${PROGRAM} handover ${id} --receipt <the code the keeper prints>`,
      `Changed your mind before the keeper took it? ${PROGRAM} handover ${id} --cancel`,
    ].join('\n') + '\n',
  );
  return EXIT.ok;
}

/** The keeper's answer to the package: taken (its receipt), refused (it never took it), or unknown. */
type Sent = { kind: 'taken'; receipt: string } | { kind: 'refused'; message: string } | { kind: 'unknown'; why: string };

async function send(keeper: LocalApiClient, sealed: string, passphrase: string): Promise<Sent> {
  try {
    const answer = await keeper.call('handover:receive', { sealed, passphrase });
    return answer.ok ? { kind: 'taken', receipt: answer.receipt } : { kind: 'refused', message: answer.message };
  } catch (error) {
    if (error instanceof ConnectionLost) return { kind: 'unknown', why: 'it stopped answering after the package was sent' };
    // A refusal of the operation itself (an app's socket, or a keeper of another version): nothing taken.
    if (error instanceof CliError) return { kind: 'refused', message: error.message };
    throw error;
  } finally {
    keeper.close();
  }
}

/** The same package again, whenever the keeper answers again: taking it twice answers the same receipt. */
async function sendAgain(socket: string, sealed: string, passphrase: string, io: Io, waitMs: number): Promise<Sent> {
  const until = io.now() + waitMs;
  io.err(`The keeper stopped answering after the package was sent: waiting up to ${waitMs / 1000} s for it to answer again…\n`);
  let last: Sent = { kind: 'unknown', why: 'it did not answer again' };
  while (io.now() < until) {
    await sleep(RETRY_EVERY_MS);
    let keeper: LocalApiClient;
    try {
      keeper = await openClient(socket, 'unreachable');
    } catch {
      continue;
    }
    last = await send(keeper, sealed, passphrase);
    if (last.kind !== 'unknown') return last;
  }
  return { kind: 'unknown', why: `it did not answer again within ${waitMs / 1000} s` };
}

async function toSocket(api: LocalApiClient, io: Io, id: string, label: string, step: { socket: string; name: string; waitMs?: number }): Promise<ExitCode> {
  const notThere = `Nothing was handed over: nothing answers at ${step.socket} (is the keeper running, with its data folder's run/local-api.sock there?). ${label} is kept by the app as before.`;
  const keeper = await openClient(step.socket, notThere);
  const sealed = await api.call('handover:begin', { id, to: step.name });
  if (!sealed.ok) {
    keeper.close();
    return said(io, sealed);
  }
  let sent = await send(keeper, sealed.sealed, sealed.passphrase);
  if (sent.kind === 'unknown') sent = await sendAgain(step.socket, sealed.sealed, sealed.passphrase, io, step.waitMs ?? RESEND_WITHIN_MS);

  if (sent.kind === 'refused') {
    const cancelled = await api.call('handover:cancel', { id });
    io.err(`${PROGRAM}: ${step.name} did not take ${label}: ${sent.message}\n`);
    io.err(cancelled.ok ? `${label} is kept by the app again; nothing changed.\n` : `${PROGRAM}: the app did not cancel the hand-over: ${cancelled.message} Run \`${PROGRAM} handover ${id} --cancel\`.\n`);
    return EXIT.needsYou;
  }
  if (sent.kind === 'unknown') {
    io.err(
      [
        `${PROGRAM}: whether ${step.name} took ${label} is unknown: ${sent.why}.`,
        `Nobody renews ${label} here now; do not cancel blindly (if the keeper took it, both would renew it).`,
        `Once the keeper runs again, run the same command again (\`${PROGRAM} handover ${id} --to-socket ${step.socket}\`):`,
        `it asks the keeper for this hand-over's receipt and finishes if the keeper took it, or says that it did not (then \`${PROGRAM} handover ${id} --cancel\` and hand it over again).`,
      ].join('\n') + '\n',
    );
    return EXIT.needsYou;
  }
  return completeWith(api, io, id, label, step.name, sent.receipt);
}

/**
 * A hand-over under way to a keeper whose receipt never came back (it stopped before answering,
 * and came back after the command gave up): the keeper answers the receipt of the package it
 * took, by the package's id, and the app completes with it. Nothing is begun or cancelled here.
 */
async function finishFromKeeper(api: LocalApiClient, io: Io, id: string, label: string, pending: { keeper: string; handoverId: string }, socket: string): Promise<ExitCode> {
  const waiting = `The hand-over of ${label} to ${pending.keeper} is still under way: nobody renews ${label} until it is finished or cancelled.`;
  const keeper = await openClient(socket, `Nothing answers at ${socket} (is the keeper running?). ${waiting}`);
  let answer: OperationResult<'handover:receipt'>;
  try {
    answer = await keeper.call('handover:receipt', { handoverId: pending.handoverId });
  } finally {
    keeper.close();
  }
  if (!answer.ok || answer.id !== id) {
    io.err(`${PROGRAM}: the keeper at ${socket} did not take ${label} in this hand-over: ${answer.ok ? 'it names another connection.' : answer.message}\n`);
    io.err(`${waiting} If no keeper took it (\`${PROGRAM} --keeper <its socket> status\` lists it nowhere), run \`${PROGRAM} handover ${id} --cancel\` and hand it over again.\n`);
    return EXIT.needsYou;
  }
  io.err(`A hand-over of ${label} to ${pending.keeper} was under way: the keeper took it and answered its receipt now; finishing it.\n`);
  return completeWith(api, io, id, label, pending.keeper, answer.receipt);
}

/** The keeper's receipt to the app: the tokens leave the app, which shows it as kept by the keeper. */
async function completeWith(api: LocalApiClient, io: Io, id: string, label: string, name: string, receipt: string): Promise<ExitCode> {
  const completed = await api.call('handover:complete', { id, receipt }).catch((error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : 'no answer' }));
  if (!completed.ok) {
    io.err(`${PROGRAM}: ${name} took ${label} and renews it now, but the app did not take its receipt (${completed.message}).\nFinish with: ${PROGRAM} handover ${id} --receipt ${receipt}\n`);
    return EXIT.needsYou;
  }
  return said(io, completed);
}
