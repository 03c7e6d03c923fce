/**
 * Which frames may call main. Compares parsed origins, never prefixes of strings: a sender is
 * trusted only when it is a top-level frame whose origin is exactly one of ours.
 */
export interface IpcSender {
  /** URL of the frame that sent the message (Electron: event.senderFrame.url). */
  readonly url: string;
  /** False for iframes: only our top-level documents speak IPC. */
  readonly isMainFrame: boolean;
}

export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // Custom schemes (app://renderer) have an opaque "null" origin in WHATWG URL; build it by hand.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function createSenderCheck(trustedOrigins: readonly string[]): (sender: IpcSender) => boolean {
  const allowed = new Set(trustedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null));
  return (sender) => {
    if (!sender.isMainFrame) return false;
    const origin = originOf(sender.url);
    return origin !== null && origin !== 'null' && allowed.has(origin);
  };
}
