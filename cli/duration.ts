/** `--for 1h`, `30m`, `1h30m`, `2d`: whole minutes, from one minute to a week (what the app accepts). */
import { usageError } from './errors.js';

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440 };
export const MAX_PAUSE_MINUTES = 7 * 1440;

export function parseMinutes(text: string): number {
  const parts = [...text.trim().toLowerCase().matchAll(/(\d+)\s*([mhd])/g)];
  const whole = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || whole.replace(/\s/g, '') !== text.trim().toLowerCase().replace(/\s/g, '')) throw usageError(`“${text}” is not a duration: use minutes, hours or days, such as 30m, 1h or 1h30m.`);
  const minutes = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MINUTES[unit!]!, 0);
  if (minutes < 1 || minutes > MAX_PAUSE_MINUTES) throw usageError('Pause for one minute up to 7 days (7d).');
  return minutes;
}

/** "1 h", "1 h 30 min", "45 min", "2 d". */
export function minutesWords(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}
