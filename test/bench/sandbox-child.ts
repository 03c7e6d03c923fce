/**
 * The sandbox in a process of its own, for benchmarks that measure the app's side: its HTTP work
 * is then on neither the app's main thread nor its process (threads share a CPU budget and a
 * heap). Seeds N external connections and sends back what the app needs to start: the settings,
 * the keychain entries, the addresses. `close` over IPC ends it.
 */
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { seedConnections } from './seed.js';

const { count, issuedAt } = JSON.parse(process.argv[2] ?? '{}') as { count: number; issuedAt?: number };
const sandbox = await startSandbox();
const store = createMemorySecretStore();
const seeded = await seedConnections(sandbox, count, { store, ...(issuedAt === undefined ? {} : { issuedAt }) });
// The request log would grow with every call of a long run.
sandbox.control.clearRequestLog();
setInterval(() => sandbox.control.clearRequestLog(), 10_000).unref();
process.send!({ settings: seeded.settings, entries: await store.findAll(), urls: sandbox.urls });
process.on('message', (message) => {
  if (message === 'close') void sandbox.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
