/** `npm run sandbox`: the sandbox on a fixed loopback port, with what to paste into the app. */
import { SAMPLE_CLIENT, SAMPLE_USER, SAMPLE_USER_KEY, startSandbox } from './server.js';

const port = Number(process.env['SANDBOX_PORT'] ?? 4517);
const sandbox = await startSandbox({ port });
// As Salesforce: a sixth approval of one user through one app revokes the oldest.
sandbox.control.setApprovalLimit(5);
const { urls } = sandbox;
console.log(`Data2CRM + Salesforce sandbox running on ${urls.origin} (loopback only)

In Data2CRM Tray, Settings → Account:
  New user key            ${SAMPLE_USER_KEY}   (then "Save key")
  Advanced: service addresses → Sandbox address
                          ${urls.origin}   (then "Use this sandbox")

Sample Salesforce user     ${SAMPLE_USER.username} / ${SAMPLE_USER.password}
Own connected app          My Domain host ${urls.origin}
                           consumer key ${SAMPLE_CLIENT.clientId}, secret ${SAMPLE_CLIENT.clientSecret}
                           callback http://127.0.0.1:1717/callback (the app's default port)
Controls (expire, revoke, rotation, faults, tokens to paste …): open ${urls.origin}/ in a browser

Press Ctrl+C to stop.`);

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
