// The Capture screen in Chromium over a real IndexedDB outbox: files kept on pick, thumbnails, drop, remembered type, refusals.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { uuidv7 } from '@fieldvault/shared/ids';
import { createOutbox, type Outbox } from '../../outbox/outbox';
import type { AppDeps } from '../app-deps';
import { useCapture } from '../hooks/use-capture';
import { CaptureView, localToday } from './capture-view';

const outboxes: Outbox[] = [];

function depsWithOutbox(): AppDeps {
  const outbox = createOutbox({ name: `capture-view-${uuidv7()}` });
  outboxes.push(outbox);
  const hash = async (blob: Blob) => {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return { sha256, md5: 'AAAAAAAAAAAAAAAAAAAAAA==' };
  };
  return { outbox, hashClient: { hash } } as unknown as AppDeps;
}

const sync = { refresh: vi.fn(), syncNow: vi.fn() };
const USER = {
  deviceLabel: 'test phone',
  owner: {
    userId: '0190f1a2-0000-7000-8000-0000000000aa',
    orgId: '0190f1a2-0000-7000-8000-0000000000bb',
    email: 'anna@example.com',
  },
};

function Harness({ deps }: { deps: AppDeps }) {
  const capture = useCapture({ deps, user: USER, sync });
  return <CaptureView focusHeading={false} capture={capture} />;
}

async function png(name: string): Promise<File> {
  const canvas = new OffscreenCanvas(800, 400);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.fillStyle = '#c33';
  ctx.fillRect(0, 0, 800, 400);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, {
    type: 'image/png',
  });
}

const pdf = (name: string) =>
  new File(['%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'], name, { type: 'application/pdf' });

afterEach(() => {
  for (const outbox of outboxes.splice(0)) outbox.close();
  localStorage.clear();
});

describe('Capture view', () => {
  test('picked files are kept as drafts at once, shown with a thumbnail (PDF: an icon), and saved', async () => {
    const deps = depsWithOutbox();
    const screen = await render(<Harness deps={deps} />);
    await userEvent.upload(screen.getByLabelText('Photos or PDFs'), [
      await png('photo.png'),
      pdf('invoice.pdf'),
    ]);
    const picked = screen.getByTestId('picked-file');
    await expect.element(picked.nth(1)).toHaveTextContent('invoice.pdf');
    expect((await deps.outbox.listDrafts()).map((d) => d.filename)).toEqual([
      'photo.png',
      'invoice.pdf',
    ]);
    await expect.element(picked.nth(0).getByTestId('thumbnail')).toBeVisible();
    await expect.element(picked.nth(1).getByTestId('thumbnail-icon')).toHaveTextContent('PDF');

    await screen.getByLabelText('Object id').fill('EXP-7');
    await screen.getByLabelText('Vendor (optional)').fill('Café Nord');
    await screen.getByLabelText('Amount (optional)').fill('12.40');
    await screen.getByLabelText('Currency (optional, e.g. EUR)').fill('eur');
    // The receipt date starts at today (on this device's calendar); the printed date replaces it.
    const receiptDate = screen.getByLabelText('Receipt date (optional)');
    await expect.element(receiptDate).toHaveValue(localToday());
    await receiptDate.fill('2026-11-20');
    await screen.getByRole('button', { name: 'Save' }).click();
    const results = screen.getByRole('list', { name: 'Save results' });
    await expect.element(results.getByText('photo.png: Saved on this device')).toBeVisible();
    await expect.element(results.getByText('invoice.pdf: Saved on this device')).toBeVisible();
    expect(await deps.outbox.listDrafts()).toEqual([]);
    const captures = await deps.outbox.listCaptures();
    expect(captures.map((c) => c.filename).sort()).toEqual(['invoice.pdf', 'photo.png']);
    const meta = {
      vendor: 'Café Nord',
      amount: '12.40',
      currency: 'EUR',
      receiptDate: '2026-11-20',
    };
    expect(captures.map((c) => c.meta)).toEqual([meta, meta]);
    const thumbs = await deps.outbox.listThumbnails();
    const photo = captures.find((c) => c.filename === 'photo.png');
    expect(thumbs.map((t) => [t.captureId, t.width, t.height])).toEqual([
      [photo?.captureId, 320, 160],
    ]);
    expect(sync.syncNow).toHaveBeenCalled();
  });

  test('files dropped on the form are picked too', async () => {
    const deps = depsWithOutbox();
    const screen = await render(<Harness deps={deps} />);
    const transfer = new DataTransfer();
    transfer.items.add(await png('dropped.png'));
    const zone = screen.getByTestId('file-drop').element();
    zone.dispatchEvent(
      new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
    );
    zone.dispatchEvent(
      new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
    );
    await expect.element(screen.getByTestId('picked-file')).toHaveTextContent('dropped.png');
    await expect.poll(async () => (await deps.outbox.listDrafts()).length).toBe(1);
  });

  test('a file kept before the page was killed is offered again, and Remove forgets it', async () => {
    const deps = depsWithOutbox();
    const first = await render(<Harness deps={deps} />);
    await userEvent.upload(first.getByLabelText('Photos or PDFs'), [pdf('kept.pdf')]);
    await expect.element(first.getByTestId('picked-file')).toHaveTextContent('kept.pdf');
    await first.unmount();
    const second = await render(<Harness deps={deps} />);
    const item = second.getByTestId('picked-file');
    await expect.element(item).toHaveTextContent('kept.pdf');
    await item.getByRole('button', { name: 'Remove kept.pdf' }).click();
    await expect.element(item).not.toBeInTheDocument();
    expect(await deps.outbox.listDrafts()).toEqual([]);
  });

  test('a refused file says why in words, stores nothing, and stays picked', async () => {
    const deps = depsWithOutbox();
    const screen = await render(<Harness deps={deps} />);
    const notJpeg = new File(['just some text'], 'receipt.jpg', { type: 'image/jpeg' });
    await userEvent.upload(screen.getByLabelText('Photos or PDFs'), [notJpeg]);
    await expect.element(screen.getByTestId('picked-file')).toBeVisible();
    await screen.getByLabelText('Object id').fill('EXP-8');
    await screen.getByRole('button', { name: 'Save' }).click();
    const results = screen.getByRole('list', { name: 'Save results' });
    await expect.element(results).toHaveTextContent(/receipt\.jpg: .+/);
    await expect.element(results.getByText('Saved on this device')).not.toBeInTheDocument();
    expect(await deps.outbox.listCaptures()).toEqual([]);
    await expect.element(screen.getByTestId('picked-file')).toHaveTextContent('receipt.jpg');
  });

  test('Save with nothing picked says so', async () => {
    const screen = await render(<Harness deps={depsWithOutbox()} />);
    await screen.getByLabelText('Object id').fill('EXP-9');
    await screen.getByRole('button', { name: 'Save' }).click();
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent('Nothing saved: take a photo or pick a file first.');
  });

  test('the type chosen last is remembered for the next capture', async () => {
    const first = await render(<Harness deps={depsWithOutbox()} />);
    await first.getByLabelText('Type').selectOptions('accounting/invoice');
    await first.unmount();
    const second = await render(<Harness deps={depsWithOutbox()} />);
    await expect.element(second.getByLabelText('Type')).toHaveValue('accounting/invoice');
  });

  test('a remembered type no longer in the catalog falls back to receipts', async () => {
    localStorage.setItem('fieldvault.capture.target', 'gone/away');
    const screen = await render(<Harness deps={depsWithOutbox()} />);
    await expect.element(screen.getByLabelText('Type')).toHaveValue('accounting/receipt');
  });

  test('persistent storage is asked for after the first saved capture, once', async () => {
    const persisted = vi.spyOn(navigator.storage, 'persisted').mockResolvedValue(false);
    const persist = vi.spyOn(navigator.storage, 'persist').mockResolvedValue(true);
    const screen = await render(<Harness deps={depsWithOutbox()} />);
    const input = screen.getByLabelText('Photos or PDFs');
    await screen.getByLabelText('Object id').fill('EXP-10');
    for (const name of ['one.pdf', 'two.pdf']) {
      await userEvent.upload(input, [pdf(name)]);
      await expect.element(screen.getByTestId('picked-file')).toHaveTextContent(name);
      expect(persist).toHaveBeenCalledTimes(name === 'one.pdf' ? 0 : 1);
      await screen.getByRole('button', { name: 'Save' }).click();
      await expect.element(screen.getByText(`${name}: Saved on this device`)).toBeVisible();
      await screen.getByLabelText('Object id').fill('EXP-10');
    }
    expect(persist).toHaveBeenCalledOnce();
    expect(persisted).toHaveBeenCalledOnce();
  });
});
