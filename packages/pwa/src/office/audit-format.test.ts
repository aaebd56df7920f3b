// Unit tests for audit entries and chain status in words.
import { describe, expect, it } from 'vitest';
import { actorText, chainStatusText, detailText } from './audit-format';

describe('chainStatusText', () => {
  it('names the last event of an intact chain', () => {
    expect(
      chainStatusText({ ok: true, checked: 123456, fromSeq: 1, toSeq: 123456, firstBreak: null }),
    ).toBe('Audit chain intact up to event #123,456 (123,456 checked)');
    expect(
      chainStatusText({ ok: true, checked: 0, fromSeq: null, toSeq: null, firstBreak: null }),
    ).toBe('Audit chain intact: no events yet');
  });

  it('names the first broken link and why', () => {
    expect(
      chainStatusText({
        ok: false,
        checked: 10,
        fromSeq: 1,
        toSeq: 10,
        firstBreak: { seq: 7, reason: 'hash' },
      }),
    ).toBe('Audit chain broken at event #7: the event was changed after it was written');
    expect(
      chainStatusText({
        ok: false,
        checked: 10,
        fromSeq: 1,
        toSeq: 10,
        firstBreak: { seq: 9, reason: 'gap', expectedSeq: 8 },
      }),
    ).toBe('Audit chain broken at event #8: an event is missing');
  });
});

describe('audit entries in words', () => {
  it('names the actor with their role, or the system', () => {
    const id = '0195f6a0-0000-7000-8000-000000000001';
    expect(actorText({ actorId: id, actorRole: 'office' }, new Map([[id, 'Olaf']]))).toBe(
      'Olaf (office)',
    );
    expect(actorText({ actorId: id, actorRole: null }, new Map())).toBe('User 0195f6a0…');
    expect(actorText({ actorId: null, actorRole: null }, new Map())).toBe('System');
  });

  it('says when an action was refused and why it was done', () => {
    expect(detailText({ success: false, errorCode: 'RETENTION_LOCKED', details: {} })).toBe(
      'refused (RETENTION_LOCKED)',
    );
    expect(detailText({ success: true, errorCode: null, details: { reason: 'blurry' } })).toBe(
      'reason: blurry',
    );
  });
});
