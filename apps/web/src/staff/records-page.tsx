import { useState } from 'react';
import { api, command, read, seenPosition, type Schema } from '../api/client';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { navigate, useLocation } from '../router';
import { useAccount } from '../session/session';
import { RecordStatus, useCategoryName } from '../ui/badges';
import { useSubmit } from '../ui/use-submit';
import { Field } from '../ui/form';
import { day, hours } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Modal } from '../ui/modal';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';
import { AmendDialog, type AmendTarget } from './amend-dialog';

const TABS = ['pending', 'approved', 'rejected'] as const;
type Tab = (typeof TABS)[number];

/** Self-reports waiting for approval, and the unit's records to correct. */
export function RecordsPage() {
  const { t, lang } = useI18n();
  const account = useAccount();
  const categoryName = useCategoryName();
  const { query } = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'pending';
  const unit = account.orgUnitId!;
  const records = useApi(() => read(api.GET('/api/v1/org-units/{id}/service-records', {
    params: { path: { id: unit }, query: { status: tab, limit: 100, minPosition: seenPosition() } },
  })), [unit, tab]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Schema<'UnitRecordView'> | null>(null);
  const [amending, setAmending] = useState<AmendTarget | null>(null);

  async function approve(record: Schema<'UnitRecordView'>) {
    setBusy(record.recordId);
    setError(null);
    try {
      await command((headers) => api.POST('/api/v1/service-records/{id}/approval', { headers, params: { path: { id: record.recordId } } }));
      setDone(t('records.approved', { who: record.displayName ?? record.volunteerId, h: hours(record.minutes) }));
      records.reload();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <PageTitle>{t('nav.records')}</PageTitle>
      <div className="tabs" role="group" aria-label={t('records.filter')}>
        {TABS.map((name) => (
          <button key={name} type="button" className="tab" aria-pressed={name === tab} onClick={() => {
            setDone(null);
            navigate(`/staff/records?tab=${name}`, { replace: true });
          }}>{t(`records.tab.${name}` as MessageKey)}{name === tab && records.data ? ` (${records.data.total})` : ''}</button>
        ))}
      </div>
      {done && <Notice kind="success" title={done} />}
      {error && <ErrorNotice error={error} />}
      {records.error ? <ErrorNotice error={records.error} onRetry={records.reload} />
        : !records.data ? <Loading />
          : records.data.records.length === 0 ? <Empty title={t(tab === 'pending' ? 'records.nonePending' : 'records.none')} />
            : (
              <ul className="cards" aria-busy={records.loading}>
                {records.data.records.map((r) => (
                  <li key={r.recordId} className="card record-card">
                    <div className="card-main">
                      <p className="card-title">{r.displayName ?? r.volunteerId} · {t('unit.hours', { h: hours(r.minutes) })}</p>
                      <p className="muted">{day(r.serviceDate, lang)} · {categoryName(r.category)}{r.activityTitle ? ` · ${r.activityTitle}` : ''}</p>
                      <p>{r.description}</p>
                      <p className="muted small">
                        {t(`source.${r.source}` as MessageKey)}
                        {r.amendments > 0 && ` · ${t('records.amendedN', { n: r.amendments })}`}
                      </p>
                    </div>
                    <div className="card-side">
                      <RecordStatus status={r.status} />
                      {r.status === 'pending' && (
                        <div className="button-row">
                          <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void approve(r)}
                            aria-label={t('records.approveWho', { who: r.displayName ?? r.volunteerId })}>{t('records.approve')}</button>
                          <button type="button" className="button button-danger" disabled={busy !== null} onClick={() => setRejecting(r)}
                            aria-label={t('records.rejectWho', { who: r.displayName ?? r.volunteerId })}>{t('records.reject')}</button>
                        </div>
                      )}
                      {(r.status === 'approved' || r.status === 'pending') && (
                        <button type="button" className="button button-small button-secondary"
                          onClick={() => setAmending({ recordId: r.recordId, minutes: r.minutes, who: r.displayName ?? r.volunteerId })}>{t('amend.action')}</button>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            )}
      {rejecting && <RejectDialog record={rejecting} onClose={() => setRejecting(null)} onDone={() => {
        setDone(t('records.rejected', { who: rejecting.displayName ?? rejecting.volunteerId }));
        setRejecting(null);
        records.reload();
      }} />}
      {amending && <AmendDialog target={amending} onClose={() => setAmending(null)} onDone={() => {
        setDone(t('amend.done', { who: amending.who }));
        setAmending(null);
        records.reload();
      }} />}
    </>
  );
}

function RejectDialog({ record, onClose, onDone }: { record: Schema<'UnitRecordView'>; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await command((headers) => api.POST('/api/v1/service-records/{id}/rejection', { headers, params: { path: { id: record.recordId } }, body: { reason } }));
    onDone();
  });
  return (
    <Modal title={t('records.rejectTitle', { who: record.displayName ?? record.volunteerId })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field id="reject-reason" label={t('records.rejectReason')} error={error}>
          <textarea id="reject-reason" required maxLength={500} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        {error && <ErrorNotice error={error} />}
        <div className="form-actions">
          <button type="submit" className="button button-danger" disabled={busy}>{t('records.reject')}</button>
          <button type="button" className="button button-secondary" onClick={onClose}>{t('action.cancel')}</button>
        </div>
      </form>
    </Modal>
  );
}
