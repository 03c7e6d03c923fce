/** The sandbox's sign-in and approval pages: plain forms, labelled for tests and screen readers. */
import { escapeHtml } from './http-util.js';

export function signInPage(options: { title: string; action: string; hidden: Record<string, string>; error?: string; appName: string }): string {
  const hidden = Object.entries(options.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto}label{display:block;margin:.6rem 0}input[type=text],input[type=password]{width:100%;padding:.4rem}.err{color:#b00}</style></head>
<body><main><h1>${escapeHtml(options.title)}</h1>
<p><strong>${escapeHtml(options.appName)}</strong> asks to access your Salesforce data (api, refresh_token).</p>
${options.error ? `<p class="err" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}">${hidden}
<label>Username <input type="text" name="username" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form></main></body></html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><main><h1>Error</h1><p role="alert">${escapeHtml(message)}</p></main></body></html>`;
}
