import { useCallback, useEffect, useState } from 'react';
import type { SettingsView } from '../../../preload/contract';

export function useSettings(): [SettingsView | null, () => void, (next: SettingsView) => void] {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const reload = useCallback(() => {
    void window.api.getSettings().then(setSettings);
  }, []);
  useEffect(reload, [reload]);
  return [settings, reload, setSettings];
}
