/**
 * The sandbox in a worker thread, for benchmarks that measure the main thread (event-loop
 * utilization, stalls): its HTTP work must not count as the app's. Seeds N external connections
 * and posts back what the app needs to start: the settings, the keychain entries, the addresses.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { startSandbox } from '../sandbox/server.js';
import { seedConnections } from './seed.js';

const sandbox = await startSandbox();
const store = createMemorySecretStore();
const seeded = await seedConnections(sandbox, (workerData as { count: number }).count, { store });
parentPort!.postMessage({ settings: seeded.settings, entries: await store.findAll(), urls: sandbox.urls });
parentPort!.on('message', (message) => {
  if (message === 'close') void sandbox.close().then(() => process.exit(0));
});
