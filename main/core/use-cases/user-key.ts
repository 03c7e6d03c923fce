/** The Data2CRM user key: write-only (the windows see its fingerprint), and a test against Data2CRM. */
import type { ActionResult } from '../../../preload/contract.js';
import type { UseCaseDeps } from './deps.js';

export function createUserKeyActions(deps: Pick<UseCaseDeps, 'vault' | 'keepAlive' | 'data2crm' | 'changed'>) {
  const { vault, keepAlive } = deps;
  return {
    async setUserKey(userKey: string): Promise<ActionResult> {
      const key = userKey.trim();
      if (!/^[\w.~-]+$/.test(key)) return { ok: false, message: 'A Data2CRM user key has only letters, digits and . _ ~ - : check what was pasted.', field: 'userKey' };
      try {
        await vault.setUserKey(key);
      } catch {
        return { ok: false, message: 'The keychain refused to store the user key.', field: 'userKey' };
      }
      keepAlive.userKeyReplaced();
      deps.changed();
      return { ok: true, message: `Saved (…${key.slice(-4)}).` };
    },

    async testUserKey(): Promise<ActionResult> {
      const counted = await deps.data2crm().countApplications();
      if (counted.ok) keepAlive.userKeyAccepted();
      if (counted.ok) return { ok: true, message: `Data2CRM accepted the key (${counted.value} application${counted.value === 1 ? '' : 's'}).` };
      return { ok: false, message: counted.error.message };
    },
  };
}
