/** "Open in Salesforce": only a URL that passes the same trust rule as a token's destination reaches the browser. */
import type { ActionResult } from '../../../preload/contract.js';
import { isTrustedSalesforceUrl } from '../salesforce/hosts.js';
import type { UseCaseDeps } from './deps.js';

export function createOpenInSalesforceActions(deps: Pick<UseCaseDeps, 'settings' | 'openInBrowser'>) {
  return {
    /** Only a URL that passes the same trust rule as a token's destination reaches the browser. */
    openInSalesforce(id: string): ActionResult {
      const record = deps.settings.connection(id);
      if (!record) return { ok: false, message: 'That connection no longer exists.' };
      if (!isTrustedSalesforceUrl(record.instanceUrl, deps.settings.get().extraInstanceHosts)) return { ok: false, message: 'The instance URL is not a trusted Salesforce address, so it was not opened.' };
      deps.openInBrowser(record.instanceUrl);
      return { ok: true, message: 'Opened in your browser.' };
    },
  };
}
