import { describe, expect, it } from 'vitest';
import { opensSettingsAtStart } from '../../main/core/start-window.js';
import { defaultSettings } from '../../main/core/settings/schema.js';

describe('settings window at start', () => {
  it('opens on a first start, when nothing is connected yet', () => {
    expect(opensSettingsAtStart(defaultSettings())).toBe(true);
  });

  it('stays in the tray once connections exist', () => {
    expect(opensSettingsAtStart({ connections: [{ id: 'c1' }] })).toBe(false);
  });
});
