/** Repeated measurement: warm-up runs are discarded, then the median with min and max. */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly app: Summary;
  readonly baseline: Summary | null;
  readonly target: string;
  readonly met: boolean | null;
  readonly note?: string;
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

export async function repeat(runs: number, warmup: number, measure: () => Promise<number>): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await measure();
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await measure());
  return summarize(values);
}

export function ratio(figure: Pick<Figure, 'app' | 'baseline'>): number | null {
  return figure.baseline && figure.baseline.median > 0 ? figure.app.median / figure.baseline.median : null;
}

export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * App and baseline measured alternately (warm-ups first, discarded), so a change in the machine's
 * load during the run falls on both sides alike.
 */
export async function interleaved(runs: number, warmup: number, app: () => Promise<number>, baseline: () => Promise<number>): Promise<{ app: Summary; baseline: Summary; pairs: Array<readonly [number, number]> }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const x = await app();
    const y = await baseline();
    if (i < warmup) continue;
    a.push(x);
    b.push(y);
  }
  return { app: summarize(a), baseline: summarize(b), pairs: a.map((x, i) => [x, b[i]!] as const) };
}

/** The p-th percentile (0–100) of the values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
