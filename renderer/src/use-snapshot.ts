import { useEffect, useState } from 'react';
import type { Snapshot } from '../../preload/contract';

/** The app's state: fetched once, then kept current by main's pushes (no polling). */
export function useSnapshot(): Snapshot | null {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  useEffect(() => {
    let live = true;
    const unsubscribe = window.api.onState((next) => live && setSnapshot(next));
    void window.api.getState().then((first) => live && setSnapshot((current) => current ?? first));
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return snapshot;
}
