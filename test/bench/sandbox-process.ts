/** Starts test/bench/sandbox-child.ts: the sandbox with N seeded external connections, in a process of its own. */
import { fork } from 'node:child_process';
import type { Settings } from '../../main/core/settings/schema.js';
import type { Sandbox } from '../sandbox/server.js';

export interface SandboxProcess {
  readonly settings: Settings;
  readonly entries: Array<{ account: string; secret: string }>;
  readonly urls: Sandbox['urls'];
  close(): Promise<void>;
}

export async function startSandboxProcess(count: number, options: { issuedAt?: number } = {}): Promise<SandboxProcess> {
  const child = fork(new URL('./sandbox-child.ts', import.meta.url), [JSON.stringify({ count, ...options })], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const seeded = await new Promise<Omit<SandboxProcess, 'close'>>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Omit<SandboxProcess, 'close'>));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the sandbox process ended (${code}) before it was seeded`)));
  });
  child.removeAllListeners('exit');
  return {
    ...seeded,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}
