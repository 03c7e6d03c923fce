import { z } from 'zod';

export type CrmType = 'Salesforce' | 'SalesforceSandbox';

/** What we register: the credential set is fixed by the mode, so a refresh token cannot leak out in external mode. */
export type ApplicationInput =
  | { type: CrmType; description: string; authorization: 'oAuth-internal'; credentials: { instanceUrl: string; accessToken: string; refreshToken: string } }
  | { type: CrmType; description: string; authorization: 'oAuth-external-refresh'; credentials: { instanceUrl: string; accessToken: string } };

export function toApplicationBody(input: ApplicationInput) {
  const { instanceUrl, accessToken } = input.credentials;
  const credential = [
    { name: 'instance_url', value: instanceUrl },
    { name: 'access_token', value: accessToken },
  ];
  if (input.authorization === 'oAuth-internal') credential.push({ name: 'refresh_token', value: input.credentials.refreshToken });
  return { type: input.type, description: input.description, authorization: input.authorization, credential };
}

// Response schemas: lenient on extra fields (the service may add some), strict on what we use.
export const createdSchema = z.object({ key: z.string().min(1).max(200) });

export const applicationSchema = z.object({
  key: z.string().min(1),
  type: z.string(),
  authorization: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  is_authorized: z.boolean(),
  me: z.object({ id: z.string().nullish(), name: z.string().nullish(), email: z.string().nullish() }).nullish(),
  requests_limit: z.object({ is_exceeded: z.boolean().nullish(), retry_after: z.number().nullish() }).nullish(),
});
export type ApplicationDetails = z.infer<typeof applicationSchema>;

export const applicationListSchema = z.array(
  z.object({ key: z.string().min(1), type: z.string(), authorization: z.string().nullish(), description: z.string().nullish(), url: z.string().nullish() }),
);
export type ApplicationSummary = z.infer<typeof applicationListSchema>[number];

export const countSchema = z.object({ total: z.number().int().nonnegative() });

export const errorBodySchema = z.object({
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.object({ code: z.string().max(100), message: z.string().optional() }),
});
