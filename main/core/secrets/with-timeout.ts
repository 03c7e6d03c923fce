/** A promise that settles within `ms`: the call's own outcome, or a rejection naming the wait. */
export class TimedOut extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what}: no answer within ${Math.round(ms / 1000)} s`);
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number, what = 'the call'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(what, ms)), ms);
  });
  // A late rejection of the abandoned call must not surface as an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
