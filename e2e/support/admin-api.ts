// An API client signed in as the e2e admin, independent of any browser context's cookies.
import { request, type APIRequestContext } from '@playwright/test';
import { BASE_URL, E2E_ADMIN } from './server-env';

/** Signs in through `auth.login` and returns the request context holding the session; dispose it when done. */
export async function adminApi(baseURL = BASE_URL): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL });
  const res = await api.post('/trpc/auth.login', {
    headers: { 'x-fieldvault-csrf': '1' },
    data: { email: E2E_ADMIN.email, password: E2E_ADMIN.password },
  });
  if (!res.ok()) throw new Error(`admin sign-in failed: HTTP ${res.status()} ${await res.text()}`);
  return api;
}
