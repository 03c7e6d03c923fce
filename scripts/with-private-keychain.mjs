// Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring (Linux), so
// keychain code uses a real Secret Service and never the user's own keychain. Elsewhere, or when
// already inside one, it runs the command as is.
//   node scripts/with-private-keychain.mjs <command> [args…]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-private-keychain.mjs <command> [args…]');
  process.exit(2);
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

let run;
if (process.platform !== 'linux' || process.env.D2C_PRIVATE_KEYCHAIN === '1') {
  run = spawnSync(command, args, { stdio: 'inherit' });
} else if (!has('dbus-run-session') || !has('gnome-keyring-daemon')) {
  console.warn('warning: dbus-run-session or gnome-keyring-daemon missing (Debian: dbus, gnome-keyring); keychain code will find no keychain.');
  run = spawnSync(command, args, { stdio: 'inherit' });
} else {
  // A fresh keyring folder each run: an old keyring with another password would stay locked.
  const keyrings = mkdtempSync(join(tmpdir(), 'd2c-keyring-'));
  const script = `printf %s "$D2C_KEYRING_PASSWORD" | XDG_DATA_HOME="$D2C_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec ${[command, ...args].map(quote).join(' ')}`;
  run = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
    stdio: 'inherit',
    env: { ...process.env, D2C_PRIVATE_KEYCHAIN: '1', D2C_KEYRING_PASSWORD: 'test-keyring', D2C_KEYRING_HOME: keyrings },
  });
  rmSync(keyrings, { recursive: true, force: true });
}
process.exit(run.status ?? 1);
