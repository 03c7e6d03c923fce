/**
 * Exit codes, one meaning each, and the one error the command line throws. Whatever goes wrong
 * ends as one line on stderr and one of these codes, never a stack trace.
 */
export const EXIT = {
  /** Done; for `status`: nothing needs you. */
  ok: 0,
  /** Something needs you (a connection, or the user key), or the action did not succeed. */
  needsYou: 1,
  /** The app cannot be reached: not running, or its socket is not safe to talk to. */
  notRunning: 2,
  /** A usage error: unknown command or flag, a missing or ambiguous <connection>, a refused operation. */
  usage: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, `${message} Run \`data2crm-tray --help\` for the commands.`);

/** The other side closed the connection before it answered: whether it did what was asked is unknown. */
export class ConnectionLost extends CliError {
  constructor(message: string) {
    super(EXIT.needsYou, message);
    this.name = 'ConnectionLost';
  }
}
