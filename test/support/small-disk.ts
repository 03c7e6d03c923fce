/**
 * A real small disk: a tmpfs mounted for one test, filled to the last byte (ENOSPC, which SQLite
 * reports as SQLITE_FULL) or remounted read-only (EROFS). Mounting needs root (CAP_SYS_ADMIN), as
 * on the project's machines and CI; without it the test fails and says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.stderr.trim() || result.error?.message}); the full-disk and read-only tests mount a tmpfs and need root`);
}

export interface SmallDisk {
  readonly dir: string;
  /** Writes a filler file until the disk has no byte left. */
  fill(): void;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  readOnly(): void;
  writable(): void;
  unmount(): void;
}

export function mountSmallDisk(sizeMb = 8): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'd2c-disk-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const chunk = Buffer.alloc(64 * 1024, 1);
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(filler + String(i)), chunk);
        } catch {
          // The last chunk did not fit: top up with smaller ones until not one byte is left.
          for (let size = 32 * 1024, j = 0; size >= 1; size = Math.floor(size / 2), j++) {
            try {
              writeFileSync(`${filler}-tail${j}`, Buffer.alloc(size, 1));
            } catch {
              // too big: halve
            }
          }
          return;
        }
      }
    },
    free() {
      run('sh', ['-c', `rm -f '${filler}'*`]);
    },
    readOnly: () => run('mount', ['-o', 'remount,ro', dir]),
    writable: () => run('mount', ['-o', 'remount,rw', dir]),
    unmount() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
