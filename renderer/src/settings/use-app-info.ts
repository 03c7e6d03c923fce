import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../preload/contract';

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

export function useAppInfo(): Loadable<AppInfo> {
  const [info, setInfo] = useState<Loadable<AppInfo>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    window.api.getAppInfo().then(
      (value) => live && setInfo({ state: 'ready', value }),
      (error: unknown) => live && setInfo({ state: 'failed', message: error instanceof Error ? error.message : 'Unknown error' }),
    );
    return () => {
      live = false;
    };
  }, []);
  return info;
}
