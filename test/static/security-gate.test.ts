import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const gate = (root: string) => spawnSync(process.execPath, ['scripts/security-scan.mjs', '--root', root], { encoding: 'utf8' });

describe('security scan gate (electronegativity)', () => {
  it('fails on a window that turns off context isolation, the sandbox and web security', () => {
    const run = gate('test/fixtures/insecure-app');
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/FAIL\s+HIGH\s+CONTEXT_ISOLATION_JS_CHECK main\/window\.ts/);
    expect(run.stdout).toMatch(/FAIL\s+MEDIUM\s+SANDBOX_JS_CHECK/);
    expect(run.stdout).toMatch(/FAIL\s+MEDIUM\s+WEB_SECURITY_JS_CHECK/);
  }, 60_000);

  it('fails on a file it cannot parse instead of skipping it', () => {
    const run = gate('test/fixtures/unparsable-app');
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/FAIL\s+HIGH\s+PARSE_ERROR main\/broken\.ts/);
  }, 60_000);
});
