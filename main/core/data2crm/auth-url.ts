/** Data2CRM's own sign-in (oAuth-internal): it returns the three tokens in the redirect's hash. */
export function data2crmAuthorizeUrl(authBase: string, redirect: string): string {
  const url = new URL(`${authBase}/authorization/oauth/Salesforce/authorize`);
  url.searchParams.set('redirect', redirect);
  return url.toString();
}
