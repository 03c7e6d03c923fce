/**
 * Own-connected-app mode's one choice of where to sign in: Production, Sandbox or My Domain. The
 * org type follows from it, so the two can't contradict; the Account login host is the default.
 */
export type LoginChoice = 'production' | 'sandbox' | 'mydomain';

export const LOGIN_HOSTS: Record<Exclude<LoginChoice, 'mydomain'>, string> = { production: 'login.salesforce.com', sandbox: 'test.salesforce.com' };

const bare = (host: string) => host.trim().replace(/^https:\/\//i, '').replace(/\/+$/, '').toLowerCase();

/** The Account login host as this wizard's starting choice. */
export function choiceFromAccount(accountHost: string): { choice: LoginChoice; myDomain: string } {
  const host = bare(accountHost);
  if (host === LOGIN_HOSTS.production || host === '') return { choice: 'production', myDomain: '' };
  if (host === LOGIN_HOSTS.sandbox) return { choice: 'sandbox', myDomain: '' };
  return { choice: 'mydomain', myDomain: accountHost.trim() };
}

/** A My Domain of a sandbox reads `name--sbx.sandbox.my.salesforce.com`. */
export function crmTypeOf(choice: LoginChoice, myDomain: string): 'Salesforce' | 'SalesforceSandbox' {
  if (choice === 'sandbox') return 'SalesforceSandbox';
  if (choice === 'production') return 'Salesforce';
  return /\.sandbox\.my\.salesforce\.com$|^test\.salesforce\.com$/.test(bare(myDomain).split(/[/:]/)[0] ?? '') ? 'SalesforceSandbox' : 'Salesforce';
}
