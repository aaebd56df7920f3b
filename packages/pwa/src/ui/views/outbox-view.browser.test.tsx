// The Outbox screen: per-item state, bytes and errors; Retry only where it helps; Discard only after confirming.
import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { captureRecord, fakeSync } from '../field/testing';
import { OutboxView } from './outbox-view';

describe('Outbox view', () => {
  test('shows each capture with its state, bytes sent and last error in words', async () => {
    const failing = captureRecord({
      state: 'needs-attention',
      lastError: { code: 'TOO_LARGE', message: 'The file is larger than this type allows.' },
    });
    const uploading = captureRecord({ state: 'uploading', size: 4_000_000 });
    const sync = fakeSync({
      captures: [failing, uploading],
      progress: { [uploading.captureId]: { bytesDone: 1_000_000, bytesTotal: 4_000_000 } },
      totals: { bytesDone: 1_000_000, bytesTotal: 4_000_000, items: 1 },
      syncing: true,
    });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    const items = screen.getByTestId('outbox-item');
    await expect.element(items.nth(0)).toHaveTextContent('Needs attention');
    await expect
      .element(items.nth(0).getByTestId('item-error'))
      .toHaveTextContent('Last error: The file is larger than this type allows.');
    await expect.element(items.nth(1)).toHaveTextContent('1.0 MB of 4.0 MB');
    await expect
      .element(screen.getByRole('progressbar', { name: `Upload of ${uploading.filename}` }))
      .toHaveAttribute('value', '1000000');
    await expect.element(screen.getByTestId('total-progress')).toHaveTextContent('uploading now');
    await expect
      .element(screen.getByRole('progressbar', { name: 'Total upload progress' }))
      .toBeVisible();
    // Retry is offered on the item that needs attention, not on the one uploading.
    await expect.element(items.nth(0).getByRole('button', { name: 'Retry' })).toBeVisible();
    expect(items.nth(1).getByRole('button', { name: 'Retry' }).elements()).toHaveLength(0);
    // Pausing means nothing for an item the engine leaves alone until the user acts.
    expect(items.nth(0).getByRole('button', { name: 'Pause' }).elements()).toHaveLength(0);
    await items.nth(0).getByRole('button', { name: 'Retry' }).click();
    expect(sync.retry).toHaveBeenCalledWith(failing.captureId);
  });

  test('Discard asks first, naming the receipt; "Keep it" deletes nothing', async () => {
    const capture = captureRecord({ filename: 'IMG_0042.jpg' });
    const sync = fakeSync({ captures: [capture] });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    await screen.getByRole('button', { name: 'Discard' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Discard IMG_0042.jpg?' });
    await expect.element(dialog).toBeVisible();
    await expect.element(dialog).toHaveTextContent('EXP-42');
    await expect.element(dialog.getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await expect.element(dialog).not.toBeInTheDocument();
    expect(sync.discard).not.toHaveBeenCalled();
  });

  test('confirming Discard deletes that capture and moves focus to the heading', async () => {
    const keep = captureRecord();
    const drop = captureRecord({ filename: 'drop-me.jpg' });
    const sync = fakeSync({ captures: [keep, drop] });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    await screen.getByTestId('outbox-item').nth(1).getByRole('button', { name: 'Discard' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Discard drop-me.jpg?' });
    await dialog.getByRole('button', { name: 'Discard' }).click();
    expect(sync.discard).toHaveBeenCalledExactlyOnceWith(drop.captureId);
    await expect.element(dialog).not.toBeInTheDocument();
    await expect.element(screen.getByRole('heading', { level: 1, name: 'Outbox' })).toHaveFocus();
  });

  test('a failed discard keeps the dialog open and says why', async () => {
    const capture = captureRecord();
    const sync = fakeSync({
      captures: [capture],
      discard: () => Promise.reject(new Error('Storage is busy; try again.')),
    });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    await screen.getByRole('button', { name: 'Discard' }).click();
    const dialog = screen.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect
      .element(dialog.getByRole('alert'))
      .toHaveTextContent('Storage is busy; try again.');
  });

  test('pause and resume per item and for all uploads', async () => {
    const running = captureRecord();
    const paused = captureRecord({ paused: true });
    const sync = fakeSync({ captures: [running, paused] });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    const items = screen.getByTestId('outbox-item');
    await expect.element(items.nth(1)).toHaveTextContent('Waiting to upload (paused)');
    await items.nth(0).getByRole('button', { name: 'Pause' }).click();
    await items.nth(1).getByRole('button', { name: 'Resume' }).click();
    expect(sync.pauseItem).toHaveBeenCalledWith(running.captureId);
    expect(sync.resumeItem).toHaveBeenCalledWith(paused.captureId);
    await screen.getByRole('button', { name: 'Pause all uploads' }).click();
    expect(sync.pauseAll).toHaveBeenCalledOnce();
  });

  test('a stored global pause shows "Paused" and offers Resume', async () => {
    const sync = fakeSync({ captures: [captureRecord()], paused: true });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    await expect
      .element(screen.getByTestId('total-progress'))
      .toHaveTextContent('Paused: 1 capture waits; nothing uploads until you resume.');
    expect(screen.getByRole('button', { name: 'Pause all uploads' }).elements()).toHaveLength(0);
    await expect.element(screen.getByRole('button', { name: 'Sync now' })).toBeDisabled();
    await screen.getByRole('button', { name: 'Resume all uploads' }).click();
    expect(sync.resumeAll).toHaveBeenCalledOnce();
  });

  test("says whose captures wait for another user's sign-in", async () => {
    const sync = fakeSync({
      captures: [captureRecord()],
      othersWaiting: [
        { userId: 'u-1', email: 'jane@example.com', count: 3 },
        { userId: 'u-2', email: 'omar@example.com', count: 1 },
      ],
    });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    const notice = screen.getByTestId('others-waiting');
    await expect
      .element(notice)
      .toHaveTextContent(
        '3 receipts wait for jane@example.com; sign in as jane@example.com to upload them.',
      );
    await expect
      .element(notice)
      .toHaveTextContent(
        '1 receipt waits for omar@example.com; sign in as omar@example.com to upload it.',
      );
  });

  test('done captures stay as history with their fingerprint and server file id, without controls', async () => {
    const done = captureRecord({
      state: 'done',
      serverFileId: '0190f1a2-0000-7000-8000-0000000000ff',
      sha256: '0123456789abcdef'.repeat(4),
      blobKey: null,
    });
    const sync = fakeSync({ captures: [done] });
    const screen = await render(<OutboxView focusHeading={false} sync={sync} signInAgain={null} />);
    const list = screen.getByRole('list', { name: 'Uploaded' });
    await expect.element(list).toHaveTextContent('Uploaded and verified');
    await expect.element(list).toHaveTextContent('0123456789abcdef…');
    await expect.element(list).toHaveTextContent('0190f1a2-0000-7000-8000-0000000000ff');
    expect(list.getByRole('button').elements()).toHaveLength(0);
    await expect
      .element(screen.getByTestId('total-progress'))
      .toHaveTextContent('Everything on this device is uploaded.');
  });

  test('when the server refused the session it asks to sign in to upload the waiting receipts', async () => {
    const signInAgain = vi.fn();
    const sync = fakeSync({ captures: [captureRecord(), captureRecord()], signInNeeded: true });
    const screen = await render(
      <OutboxView focusHeading={false} sync={sync} signInAgain={signInAgain} />,
    );
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('Sign in to upload 2 receipts.');
    await screen.getByRole('button', { name: 'Sign in again' }).click();
    expect(signInAgain).toHaveBeenCalledOnce();
  });

  test('says why captures still wait after the last run: offline, or when the next try is', async () => {
    const captures = [captureRecord({ state: 'failed' })];
    const offline = fakeSync({
      captures,
      lastRun: { status: 'offline', uploaded: 0, pending: 1, retryAt: null },
    });
    const first = await render(
      <OutboxView focusHeading={false} sync={offline} signInAgain={null} />,
    );
    await expect
      .element(first.getByTestId('total-progress'))
      .toHaveTextContent('No connection: uploads start by themselves when the network is back.');
    await first.unmount();
    const retryAt = new Date(2026, 10, 23, 15, 42).getTime();
    const waiting = fakeSync({
      captures,
      lastRun: { status: 'waiting', uploaded: 0, pending: 1, retryAt },
    });
    const second = await render(
      <OutboxView focusHeading={false} sync={waiting} signInAgain={null} />,
    );
    const expected = new Date(retryAt).toLocaleTimeString([], {
      hour: '2-digit',
      minute: '2-digit',
    });
    await expect
      .element(second.getByTestId('total-progress'))
      .toHaveTextContent(`Next try at ${expected}.`);
  });
});
