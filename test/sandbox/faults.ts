/** Scripted misbehaviour per route: the next N requests (or a share of them) fail on purpose. */

export type FaultKind =
  | { kind: 'status'; status: number; retryAfter?: string; body?: string; contentType?: string }
  | { kind: 'hang' }
  /** Answers normally, but only after this long (a slow service: a request caught in flight). */
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' }
  /**
   * A careless server: answers `status` with an error whose message throws back the secrets the
   * request carried (user key and bearer headers, token / secret / code fields), as is,
   * URL-encoded or base64. The values echoed are kept for leak scans (`control.echoed()`).
   */
  | { kind: 'echo'; status: number; encoding: 'plain' | 'url' | 'base64' };

/** A corporate proxy's HTML page instead of the service's answer. */
export const proxyForbiddenPage = (status = 403): FaultKind => ({
  kind: 'status',
  status,
  contentType: 'text/html',
  body: '<!doctype html><html><head><title>Access Denied</title></head><body><h1>Access Denied</h1><p>Your request was blocked by the network proxy. Reference #18.4f2c1b.</p></body></html>',
});

/** An OAuth error with an overlong code and description (servers are not bound by our schema). */
export const longOAuthError = (status = 400): FaultKind => ({
  kind: 'status',
  status,
  contentType: 'application/json',
  body: JSON.stringify({ error: `temporarily_unavailable_${'x'.repeat(70)}`, error_description: `The service is busy. ${'Please try again later. '.repeat(40)}` }),
});

export interface FaultRule {
  readonly route: string;
  readonly fault: FaultKind;
  /** How many matching requests to break; unlimited when absent. */
  remaining?: number;
  /** Break this share (0..1) of matching requests instead of every one. */
  readonly share?: number;
}

export class FaultPlan {
  private rules: FaultRule[] = [];
  latencyMs = 0;

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
  }

  /** The fault to apply to this request, consuming one use of its rule. */
  take(route: string): FaultKind | null {
    for (const rule of this.rules) {
      if (rule.route !== route && rule.route !== '*') continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (rule.share !== undefined && Math.random() >= rule.share) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      return rule.fault;
    }
    return null;
  }
}
