import { describe, expect, it } from 'vitest';
import { choiceFromAccount, crmTypeOf } from '../../renderer/src/settings/login-choice.js';

describe("own-connected-app mode's one login choice", () => {
  it('starts from the Account login host', () => {
    expect(choiceFromAccount('login.salesforce.com')).toEqual({ choice: 'production', myDomain: '' });
    expect(choiceFromAccount('https://test.salesforce.com/')).toEqual({ choice: 'sandbox', myDomain: '' });
    expect(choiceFromAccount('acme.my.salesforce.com')).toEqual({ choice: 'mydomain', myDomain: 'acme.my.salesforce.com' });
  });

  it('derives the org type, so the two cannot contradict', () => {
    expect(crmTypeOf('production', '')).toBe('Salesforce');
    expect(crmTypeOf('sandbox', '')).toBe('SalesforceSandbox');
    expect(crmTypeOf('mydomain', 'acme--uat.sandbox.my.salesforce.com')).toBe('SalesforceSandbox');
    expect(crmTypeOf('mydomain', 'https://acme.my.salesforce.com/')).toBe('Salesforce');
  });
});
