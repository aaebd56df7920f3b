// Compliance on the office desk end to end: an admin places a legal hold on a file's page and reads the last reconcile
// report on Admin; the auditor sees the hold (who, since when) beside the retention but is offered no change, and the
// server refuses the change all the same.
import { expect, test } from '@playwright/test';
import { captureFiles, fakeJpeg, serverFiles } from '../support/field';
import { expectNoSeriousA11yViolations } from '../support/office-a11y';
import { callStatus, createUsers, signInAs, type TestUser } from '../support/office-users';

let field: TestUser;
let admin: TestUser;
let auditor: TestUser;

test.beforeAll(async () => {
  [field, admin, auditor] = (await createUsers(['field', 'admin', 'auditor'])) as [
    TestUser,
    TestUser,
    TestUser,
  ];
});

test('an admin places a legal hold and reads the last reconcile report; the auditor sees the hold but cannot change it', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const objectId = `e2e-hold-${Date.now()}`;
  const name = 'held-receipt.jpg';
  const fieldPage = await (await browser.newContext()).newPage();
  await signInAs(fieldPage, field, '/capture', 'Capture');
  await captureFiles(fieldPage, objectId, [{ name, mimeType: 'image/jpeg', buffer: fakeJpeg() }]);
  await expect
    .poll(async () => (await serverFiles(fieldPage, objectId)).map((f) => f.status), {
      timeout: 20_000,
    })
    .toEqual(['verified']);

  const adminPage = await (await browser.newContext()).newPage();
  await signInAs(adminPage, admin, `/files?object=${objectId}`, 'Files');
  await adminPage.getByTestId('file-row').filter({ hasText: name }).click();
  await expect(adminPage.getByRole('heading', { level: 1, name })).toBeVisible();
  const fileId = new URL(adminPage.url()).pathname.split('/').pop() ?? '';
  await expect(adminPage.getByTestId('hold-retention')).toContainText('Locked until');
  await expect(adminPage.getByTestId('legal-hold')).toHaveText('No legal hold');
  await adminPage.getByRole('button', { name: 'Place legal hold' }).click();
  await adminPage.getByLabel(/Reason/).fill('case 7');
  await adminPage.getByRole('button', { name: 'Place hold' }).click();
  await expect(
    adminPage.getByRole('status').filter({ hasText: 'Legal hold placed.' }),
  ).toBeVisible();
  await expect(adminPage.getByTestId('legal-hold')).toContainText('Legal hold since');
  await expect(adminPage.getByTestId('legal-hold')).toContainText(`by ${admin.name} — case 7`);
  await expectNoSeriousA11yViolations(adminPage, 'file detail with the legal hold');
  // What the server stored, not only what the page says.
  const stored = await adminPage.request.get('/trpc/compliance.legalHoldStatus', {
    params: { input: JSON.stringify({ id: fileId }) },
  });
  expect(
    ((await stored.json()) as { result: { data: { legalHold: boolean } } }).result.data.legalHold,
  ).toBe(true);

  const run = await adminPage.request.post('/trpc/jobs.run', {
    headers: { 'x-fieldvault-csrf': '1' },
    data: { job: 'reconcile' },
  });
  expect(run.status()).toBe(200);
  await adminPage.goto('/admin');
  await expect(adminPage.getByTestId('reconcile-summary')).toContainText(
    '(run by an admin, this organisation): succeeded',
  );
  await expect(adminPage.getByTestId('reconcile-missing')).toHaveText('0');
  await expect(adminPage.getByTestId('reconcile-mismatched')).toHaveText('0');

  const auditorPage = await (await browser.newContext()).newPage();
  await signInAs(auditorPage, auditor, `/files/${fileId}`, name);
  await expect(auditorPage.getByTestId('legal-hold')).toContainText(`Legal hold since`);
  await expect(auditorPage.getByTestId('legal-hold')).toContainText(`by ${admin.name}`);
  await expect(auditorPage.getByTestId('hold-retention')).toContainText('Locked until');
  await expect(auditorPage.getByTestId('hold-read-only')).toBeVisible();
  await expect(auditorPage.getByRole('button', { name: /legal hold/ })).toHaveCount(0);
  expect(
    await callStatus(auditorPage, {
      path: 'compliance.legalHold',
      kind: 'mutation',
      input: { id: fileId, hold: false },
    }),
  ).toBe(403);
});
