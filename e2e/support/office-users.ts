// Office-desk e2e helpers: users of each role created over the API by the e2e admin, and UI sign-in as any of them.
import { expect, request, type APIRequestContext, type Page } from '@playwright/test';
import { BASE_URL, E2E_ADMIN } from './server-env';

/** A user the test created. */
export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  role: 'field' | 'office' | 'admin' | 'auditor';
}

const CSRF = { 'x-fieldvault-csrf': '1' } as const;

/** An API client signed in as `email` (its own cookie jar). */
export async function apiAs(email: string, password: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: BASE_URL });
  const res = await api.post('/trpc/auth.login', { headers: CSRF, data: { email, password } });
  expect(res.status(), `sign-in of ${email}`).toBe(200);
  return api;
}

/** Creates one user of each role in `roles` (unique e-mails per run) through admin.users.create. */
export async function createUsers(roles: TestUser['role'][]): Promise<TestUser[]> {
  const admin = await apiAs(E2E_ADMIN.email, E2E_ADMIN.password);
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;
  const users: TestUser[] = [];
  for (const role of roles) {
    const input = {
      email: `${role}-${stamp}@e2e.fieldvault.test`,
      name: `E2E ${role}`,
      role,
      password: `${role}-password-${stamp}`,
    };
    const res = await admin.post('/trpc/admin.users.create', { headers: CSRF, data: input });
    expect(res.status(), `create ${role}`).toBe(200);
    const body = (await res.json()) as { result: { data: { id: string } } };
    users.push({ ...input, id: body.result.data.id });
  }
  await admin.dispose();
  return users;
}

/** Opens `path`, signs in as `user` on the sign-in screen, and waits for the `heading` of the view. */
export async function signInAs(
  page: Page,
  user: TestUser,
  path: string,
  heading: string,
): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/**
 * Calls a procedure with the page's session (query: GET, mutation: POST with the CSRF header) and returns the
 * HTTP status, so tests can show the server itself refuses what the UI hides.
 */
export async function callStatus(
  page: Page,
  call: { path: string; kind: 'query' | 'mutation'; input?: unknown },
): Promise<number> {
  const url = `/trpc/${call.path}`;
  const res =
    call.kind === 'query'
      ? await page.request.get(url, {
          params: call.input === undefined ? {} : { input: JSON.stringify(call.input) },
        })
      : await page.request.post(url, { headers: CSRF, data: call.input ?? {} });
  return res.status();
}
