import { api, read, seenPosition, type Schema } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { Link, navigate, useLocation } from '../router';
import { useAccount } from '../session/session';
import { Badge, useCategoryName } from '../ui/badges';
import { dateTime, day, hours, time } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Empty, ErrorNotice, Loading } from '../ui/states';
import { useApi } from '../ui/use-api';

const FILTERS = ['all', 'planned', 'overdue', 'completed', 'cancelled'] as const;
type Filter = (typeof FILTERS)[number];

export function ActivityStatusBadge({ activity }: { activity: Schema<'ActivitySummaryView'> }) {
  const { t } = useI18n();
  if (activity.overdue) return <Badge tone="danger">{t('activity.overdue')}</Badge>;
  if (activity.status === 'completed') return <Badge tone="success">{t('activity.completed')}</Badge>;
  if (activity.status === 'cancelled') return <Badge tone="neutral">{t('activity.cancelled')}</Badge>;
  return <Badge tone="info">{t('activity.planned')}</Badge>;
}

/** The activities of the staff member's unit, the overdue ones highlighted. */
export function ActivitiesPage() {
  const { t, lang } = useI18n();
  const account = useAccount();
  const { query } = useLocation();
  const categoryName = useCategoryName();
  const filter: Filter = (FILTERS as readonly string[]).includes(query.get('status') ?? '') ? (query.get('status') as Filter) : 'all';
  const orgUnitId = account.orgUnitId ?? undefined;

  const list = useApi(() => read(api.GET('/api/v1/activities', {
    params: { query: { orgUnitId, status: filter === 'all' ? undefined : filter, limit: 100, minPosition: seenPosition() } },
  })), [orgUnitId, filter]);
  const overdue = useApi(() => read(api.GET('/api/v1/activities', {
    params: { query: { orgUnitId, status: 'overdue', limit: 1, minPosition: seenPosition() } },
  })), [orgUnitId]);

  return (
    <>
      <PageTitle actions={<Link to="/staff/activities/new" className="button button-primary">{t('activity.plan')}</Link>}>{t('nav.activities')}</PageTitle>
      {overdue.data && overdue.data.total > 0 && filter !== 'overdue' && (
        <div className="notice notice-error">
          <p className="notice-title">{t('activity.overdueBanner', { n: overdue.data.total })}</p>
          <p>{t('activity.overdueHint')} <Link to="/staff/activities?status=overdue">{t('activity.showOverdue')}</Link></p>
        </div>
      )}
      <div className="tabs" role="group" aria-label={t('activity.filter')}>
        {FILTERS.map((f) => (
          <button key={f} type="button" className="tab" aria-pressed={f === filter}
            onClick={() => navigate(f === 'all' ? '/staff/activities' : `/staff/activities?status=${f}`, { replace: true })}>
            {t(`activity.filter.${f}` as MessageKey)}
            {f === 'overdue' && overdue.data && overdue.data.total > 0 ? ` (${overdue.data.total})` : ''}
          </button>
        ))}
      </div>
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} />
        : !list.data ? <Loading />
          : list.data.activities.length === 0 ? (
            <Empty title={t(filter === 'all' ? 'activity.none' : 'activity.noneHere')}>
              {filter === 'all' && <Link to="/staff/activities/new" className="button button-primary">{t('activity.plan')}</Link>}
            </Empty>
          ) : (
            <ul className="cards" aria-busy={list.loading}>
              {list.data.activities.map((a) => (
                <li key={a.activityId} className={`card activity-card${a.overdue ? ' is-overdue' : ''}`}>
                  <div className="card-main">
                    <Link to={`/staff/activities/${encodeURIComponent(a.activityId)}`} className="card-title">{a.title}</Link>
                    <p className="muted">{dateTime(a.startsAt, lang)}–{time(a.endsAt, lang)} · {a.location}</p>
                    <p className="muted">{categoryName(a.category)}{a.orgUnitName && a.orgUnitId !== orgUnitId ? ` · ${a.orgUnitName}` : ''}</p>
                    {a.overdue && <p className="overdue-text">{t('activity.dueWas', { date: day(a.recordsDueBy, lang) })}</p>}
                  </div>
                  <div className="card-side">
                    <ActivityStatusBadge activity={a} />
                    <span className="figure-small">{t('activity.enrolledN', { n: a.enrolled })}</span>
                    {a.status === 'completed' && <span className="figure-small">{t('activity.creditedH', { h: hours(a.creditedMinutes) })}</span>}
                  </div>
                </li>
              ))}
            </ul>
          )}
      {list.data && list.data.total > list.data.activities.length && <p className="muted">{t('activity.more', { n: list.data.total - list.data.activities.length })}</p>}
    </>
  );
}
