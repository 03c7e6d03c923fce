import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const gate = (root: string) => spawnSync(process.execPath, ['scripts/security-scan.mjs', '--root', root], { encoding: 'utf8' });

describe('security scan gate (electronegativity)', () => {
  it('fails on a window that turns off context isolation, the sandbox and web security', () => {
    const run = gate('test/fixtures/insecure-app');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL\s+HIGH\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(run.stdout).toMatch(/FAIL\s+MEDIUM\s+SANDBOX_JS_CHECK/);
    expect(run.stdout).toMatch(/FAIL\s+MEDIUM\s+WEB_SECURITY_JS_CHECK/);
  });
}, 60_000);
