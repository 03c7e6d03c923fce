/**
 * For Node tests: completes a sandbox sign-in page by posting its form over real HTTP, the way a
 * browser would, and returns where the sandbox redirects (UI tests click the real page instead).
 */
import { SAMPLE_USER } from './server.js';

export interface SignInResult {
  readonly location: string;
  readonly cookie: string | null;
}

export async function signInHeadless(
  authorizeUrl: string,
  options: { decision?: 'allow' | 'deny'; username?: string; password?: string; cookie?: string } = {},
): Promise<SignInResult> {
  const page = await fetch(authorizeUrl, { redirect: 'manual', headers: options.cookie ? { cookie: options.cookie } : {} });
  // Auto-approve with a live session: the sandbox redirects at once.
  if (page.status === 302) return { location: page.headers.get('location')!, cookie: options.cookie ?? null };
  const html = await page.text();
  if (page.status !== 200) throw new Error(`sign-in page answered ${page.status}: ${html.slice(0, 200)}`);
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)![1]!.replace(/&#38;/g, '&'), authorizeUrl);
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(unescape(name!), unescape(value!));
  form.set('username', options.username ?? SAMPLE_USER.username);
  form.set('password', options.password ?? SAMPLE_USER.password);
  form.set('decision', options.decision ?? 'allow');
  const answer = await fetch(action, { method: 'POST', redirect: 'manual', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (answer.status !== 302) throw new Error(`sign-in answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
  const setCookie = answer.headers.get('set-cookie');
  return { location: answer.headers.get('location')!, cookie: setCookie ? setCookie.split(';')[0]! : null };
}

function unescape(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
