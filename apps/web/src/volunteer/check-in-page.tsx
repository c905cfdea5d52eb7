import { useState } from 'react';
import { api, command } from '../api/client';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { Link, useLocation } from '../router';
import { useAccount } from '../session/session';
import { time } from '../ui/format';
import { ErrorNotice, Notice } from '../ui/states';

/** Where a volunteer lands after scanning the QR code at the venue: one tap checks them in. */
export function CheckInPage({ activityId }: { activityId: string }) {
  const { t, lang } = useI18n();
  const account = useAccount();
  const { query } = useLocation();
  const code = query.get('code') ?? '';
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Date | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function checkIn() {
    setBusy(true);
    setError(null);
    try {
      await command((headers) => api.POST('/api/v1/activities/{id}/self-check-ins', { headers, params: { path: { id: activityId } }, body: { code } }));
      setDone(new Date());
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  }

  if (account.role !== 'volunteer') return <Notice kind="warning" title={t('checkIn.volunteersOnly')} />;
  return (
    <div className="narrow check-in">
      <h1>{t('checkIn.title')}</h1>
      {done ? (
        <div className="check-in-done" role="status">
          <span className="check-mark" aria-hidden="true">✓</span>
          <p className="big-text">{t('checkIn.done', { time: time(done.toISOString(), lang) })}</p>
          <p className="muted">{t('checkIn.doneHint')}</p>
          <Link to="/me" className="button button-secondary button-block">{t('checkIn.toMe')}</Link>
        </div>
      ) : error?.code === 'already-checked-in' ? (
        <Notice kind="success" title={t('checkIn.already')}><Link to="/me">{t('checkIn.toMe')}</Link></Notice>
      ) : (
        <>
          <p>{t('checkIn.hello', { name: account.displayName })}</p>
          {!code && <Notice kind="warning" title={t('checkIn.noCode')} />}
          {error && <ErrorNotice error={error} />}
          <button type="button" className="button button-primary button-huge" disabled={busy || !code} onClick={() => void checkIn()}>
            {busy ? t('state.saving') : t('checkIn.button')}
          </button>
        </>
      )}
    </div>
  );
}
