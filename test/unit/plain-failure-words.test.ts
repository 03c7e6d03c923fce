/**
 * Failures in plain words (#25 item 12): no raw "(503)" or Salesforce's "expired access/refresh
 * token" in what a person reads; the status stays in the failure, for the log.
 */
import { describe, expect, it } from 'vitest';
import { data2crmFailure } from '../../main/core/data2crm/failures.js';
import { failureCode } from '../../main/core/http/api-failure.js';
import { salesforceFailure } from '../../main/core/salesforce/failures.js';

const answer = (status: number, body = '') => ({ status, headers: new Headers(), text: body });

describe('failure words', () => {
  it('a 503 says "briefly unavailable", another 5xx "a server error", with no status in the words; the log keeps it', () => {
    for (const [name, failure] of [['Salesforce', salesforceFailure], ['Data2CRM', data2crmFailure]] as const) {
      const busy = failure(answer(503), 0);
      expect(busy.message).toBe(`${name} is briefly unavailable.`);
      expect(failureCode(busy)).toBe('server-error 503');
      expect(failure(answer(500), 0).message).toBe(`${name} had a server error.`);
      expect(failure(answer(418), 0).message).not.toMatch(/\d{3}/);
    }
  });

  it('Salesforce\'s invalid_grant descriptions in plain words; an unknown one quoted as Salesforce\'s', () => {
    const grant = (description: string) => salesforceFailure(answer(400, JSON.stringify({ error: 'invalid_grant', error_description: description })), 0);
    expect(grant('expired access/refresh token').message).toBe('Salesforce no longer accepts this sign-in: the sign-in was revoked or has expired. Authorize the connection again.');
    expect(grant('authentication failure').message).toBe('Salesforce no longer accepts this sign-in: the user could not be signed in (deactivated, or the password changed). Authorize the connection again.');
    expect(grant('user is frozen').message).toBe('Salesforce no longer accepts this sign-in (Salesforce said “user is frozen”). Authorize the connection again.');
    expect(failureCode(grant('expired access/refresh token'))).toBe('credentials-rejected invalid_grant');
  });
});
