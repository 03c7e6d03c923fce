/** `npm run sandbox`: the sandbox on fixed loopback ports, with what to paste into the app. */
import { SAMPLE_CLIENT, SAMPLE_USER, SAMPLE_USER_KEY, startSandbox } from './server.js';

const port = Number(process.env['SANDBOX_PORT'] ?? 4517);
const sandbox = await startSandbox({ port });
const { urls } = sandbox;
console.log(`Data2CRM + Salesforce sandbox running on ${urls.origin} (loopback only)

Point Data2CRM Tray at it (Settings → Account → Advanced):
  Data2CRM API base URL   ${urls.data2crmApi}
  Data2CRM auth base URL  ${urls.data2crmAuth}
  Data2CRM user key       ${SAMPLE_USER_KEY}
  Salesforce login host   ${urls.salesforceLogin}

Sample Salesforce user     ${SAMPLE_USER.username} / ${SAMPLE_USER.password}
Sample connected app       client id ${SAMPLE_CLIENT.clientId}, secret ${SAMPLE_CLIENT.clientSecret}
                           callback http://127.0.0.1:1717/callback

Press Ctrl+C to stop.`);

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
