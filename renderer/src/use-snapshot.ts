import { useEffect, useState } from 'react';
import type { Snapshot } from '../../preload/contract';
import { createStateFollower } from '../../preload/state-follower';

/**
 * The app's state: fetched once when the window opens, then kept current by main's deltas (no
 * polling). Rows that did not change keep their objects, so memoized rows skip rendering.
 */
export function useSnapshot(): Snapshot | null {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  useEffect(() => {
    let live = true;
    const follower = createStateFollower(
      () => window.api.getState(),
      (next) => live && setSnapshot(next),
    );
    const unsubscribe = window.api.onState((delta) => follower.receive(delta));
    follower.start();
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return snapshot;
}
