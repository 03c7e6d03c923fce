import { useEffect, useState } from 'react';
import type { AppStatusEvent } from '../../../preload/contract';

/** The latest status main pushed; null until the first push. */
export function useAppStatus(): AppStatusEvent | null {
  const [status, setStatus] = useState<AppStatusEvent | null>(null);
  useEffect(() => window.api.onStatus(setStatus), []);
  return status;
}
