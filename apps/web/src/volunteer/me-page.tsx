import { api, read, seenPosition, type Schema } from '../api/client';
import { CertificateList } from '../certificates/certificate-list';
import { useI18n } from '../i18n/i18n';
import { Link, useLocation } from '../router';
import { useAccount } from '../session/session';
import { RecordStatus, useCategoryName } from '../ui/badges';
import { day, hours, shanghaiToday } from '../ui/format';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';

const MAX_STARS = 5;

function Stars({ level }: { level: number }) {
  const { t } = useI18n();
  return (
    <span className="stars" role="img" aria-label={t('me.starLabel', { n: level })}>
      {Array.from({ length: MAX_STARS }, (_, i) => <span key={i} aria-hidden="true" className={i < level ? 'star on' : 'star'}>★</span>)}
    </span>
  );
}

/** A volunteer's own page (phone first): hours, star level, the way to the next star, history with corrections. */
export function MePage() {
  const { t } = useI18n();
  const account = useAccount();
  const id = account.volunteerId!;
  const { query } = useLocation();
  const hoursView = useApi(() => read(api.GET('/api/v1/volunteers/{id}/hours', { params: { path: { id }, query: { minPosition: seenPosition() } } })), [id]);
  const records = useApi(() => read(api.GET('/api/v1/volunteers/{id}/records', { params: { path: { id }, query: { minPosition: seenPosition() } } })), [id]);

  return (
    <div className="narrow">
      {query.get('reported') && <Notice kind="success" title={t('me.reported')} />}
      {hoursView.error ? <ErrorNotice error={hoursView.error} onRetry={hoursView.reload} />
        : !hoursView.data ? <Loading />
          : <HoursCard hours={hoursView.data} />}
      <Link to="/me/report" className="button button-primary button-block">{t('me.report')}</Link>
      {hoursView.data && hoursView.data.approvedMinutes > 0 && <Link to="/me/certificate" className="button button-secondary button-block">{t('certificate.request')}</Link>}
      <CertificateList volunteerId={id} />
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('me.history')}</h2>
        {records.error ? <ErrorNotice error={records.error} onRetry={records.reload} />
          : !records.data ? <Loading />
            : records.data.records.length === 0 ? <Empty title={t('me.noRecords')}><p>{t('me.noRecordsHint')}</p></Empty>
              : <ul className="cards">{records.data.records.map((r) => <RecordCard key={r.recordId} record={r} />)}</ul>}
      </section>
    </div>
  );
}

/** Hours, star level and the way to the next star; `greeting` for the volunteer's own page. */
export function HoursCard({ hours: h, greeting = true }: { hours: Schema<'VolunteerHoursAnswer'>; greeting?: boolean }) {
  const { t } = useI18n();
  const next = h.nextStar;
  // Progress towards the next star, from the previous threshold.
  const target = next ? h.approvedMinutes + next.minutesToGo : h.approvedMinutes;
  const progress = next && target > 0 ? Math.min(1, h.approvedMinutes / target) : 1;
  return (
    <section className="card hours-card" aria-labelledby="hours-heading">
      {greeting ? <h1 id="hours-heading" className="sr-only">{t('nav.me')}</h1> : <h2 id="hours-heading" className="sr-only">{t('volunteer.hours')}</h2>}
      {greeting && <p className="greeting">{t('me.hello', { name: h.displayName })}</p>}
      <p className="big-figure"><span data-testid="approved-hours">{hours(h.approvedMinutes)}</span><span className="unit">{t('unit.h')}</span></p>
      <p className="muted">{t('me.approved')}</p>
      {h.pendingMinutes > 0 && <p className="pending-text">{t('me.pending', { h: hours(h.pendingMinutes) })}</p>}
      <div className="star-row">
        <Stars level={h.starLevel} />
        <span>{h.starLevel > 0 ? t('me.starLevel', { n: h.starLevel }) : t('me.noStar')}</span>
      </div>
      {next ? (
        <>
          <progress className="star-progress" max={1} value={progress} aria-label={t('me.progressLabel', { n: next.level })} />
          <p className="muted">{t('me.toNext', { h: hours(next.minutesToGo), n: next.level })}</p>
        </>
      ) : <p className="muted">{t('me.topStar')}</p>}
    </section>
  );
}

function Correction({ entry }: { entry: Schema<'RecordHistoryEntryView'> }) {
  const { t, lang } = useI18n();
  const d = entry.data as { previousMinutes?: number; minutes?: number; reason?: string };
  const when = day(shanghaiToday(new Date(entry.recordedAt)), lang);
  switch (entry.type) {
    case 'ServiceAmended.v1':
      return <li>{t('history.amended', { when, from: hours(d.previousMinutes ?? 0), to: hours(d.minutes ?? 0), reason: d.reason ?? '' })}</li>;
    case 'ServiceApproved.v1':
      return <li>{t('history.approved', { when })}</li>;
    case 'ServiceRejected.v1':
      return <li>{t('history.rejected', { when, reason: d.reason ?? '' })}</li>;
    case 'ServiceRevoked.v1':
      return <li>{t('history.revoked', { when, reason: d.reason ?? '' })}</li>;
    default:
      return null;
  }
}

/** One service record with its status and every correction (reason, who, when). */
export function RecordCard({ record }: { record: Schema<'VolunteerRecordView'> }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const corrections = record.history.filter((h) => h.type !== 'ServiceRecorded.v1');
  return (
    <li className="card record-card">
      <div className="card-main">
        <p className="card-title">{record.activityTitle ?? categoryName(record.category)}</p>
        <p className="muted">{day(record.serviceDate, lang)} · {categoryName(record.category)}</p>
        {record.description && record.description !== record.activityTitle && <p>{record.description}</p>}
        {corrections.length > 0 && (
          <ul className="history" aria-label={t('history.label')}>
            {corrections.map((c) => <Correction key={c.position} entry={c} />)}
          </ul>
        )}
      </div>
      <div className="card-side">
        <span className="figure">{t('unit.hours', { h: hours(record.minutes) })}</span>
        <RecordStatus status={record.status} />
      </div>
    </li>
  );
}
