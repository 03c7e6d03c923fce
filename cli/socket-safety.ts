/**
 * Before talking to a socket: it must be a socket, the current user's, open to nobody else, in a
 * folder that is the current user's and open to nobody else. Anything else could be another
 * user's process waiting for a command (or an application key) meant for the app, so it is refused.
 * Windows pipes have no such file; their access is the pipe's own (see main/adapters/local-api-server.ts).
 */
import { lstatSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { CliError, EXIT } from './errors.js';

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

function checked(what: string, path: string, stat: Stats, uid: number): string | null {
  if (stat.uid !== uid) return `the ${what} ${path} belongs to another user (uid ${stat.uid})`;
  if ((stat.mode & 0o077) !== 0) return `other users can open the ${what} ${path} (mode ${octal(stat.mode)})`;
  return null;
}

/** Throws NotRunning when nothing is there, and refuses an unsafe socket; both exit 2. */
export function assertSafeSocket(path: string, notRunning: string): void {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return;
  const uid = process.getuid();
  let socket: Stats;
  let folder: Stats;
  try {
    folder = lstatSync(dirname(path));
    socket = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(EXIT.notRunning, notRunning);
    if (code === 'EACCES') throw new CliError(EXIT.notRunning, `Cannot reach ${path}: permission denied (it is another user's).`);
    throw error;
  }
  if (!folder.isDirectory()) throw new CliError(EXIT.notRunning, `Refusing to talk to ${path}: its folder is not a folder.`);
  if (!socket.isSocket()) throw new CliError(EXIT.notRunning, `Refusing to talk to ${path}: it is not a socket.`);
  const problem = checked('folder', dirname(path), folder, uid) ?? checked('socket', path, socket, uid);
  if (problem) throw new CliError(EXIT.notRunning, `Refusing to talk to ${path}: ${problem}.`);
}
