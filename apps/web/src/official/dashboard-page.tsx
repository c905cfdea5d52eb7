import { useMemo, useState } from 'react';
import { api, download, read, seenPosition } from '../api/client';
import { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { Link, navigate, useLocation } from '../router';
import { useAccount } from '../session/session';
import { useCategoryName } from '../ui/badges';
import { Chart, type ChartOption } from '../ui/chart';
import { day, hours, shanghaiToday } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Empty, ErrorNotice, Loading } from '../ui/states';
import { useApi } from '../ui/use-api';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const GROUPINGS = ['child', 'category', 'month', 'group'] as const;
type Grouping = (typeof GROUPINGS)[number];
const PALETTE = ['#b3263e', '#2f6f9f', '#c47f17', '#3d8b5a', '#7a4fa0', '#8c6d46', '#d4577a', '#4f8f9e', '#a0a03a', '#666f7a', '#e08d5b'];

const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const hoursOf = (minutes: number) => Number(hours(minutes));

/** The figures of a unit and everything under it over a period, with drill-down from district to street to community. */
export function DashboardPage({ unitId }: { unitId?: string }) {
  const { t } = useI18n();
  const account = useAccount();
  const { query } = useLocation();
  const thisMonth = shanghaiToday().slice(0, 7);
  const from = MONTH.test(query.get('from') ?? '') ? query.get('from')! : `${thisMonth.slice(0, 4)}-01`;
  const to = MONTH.test(query.get('to') ?? '') ? query.get('to')! : thisMonth;

  // An admin (bound to no unit) starts from the first district.
  const roots = useApi(() => (unitId || account.orgUnitId ? Promise.resolve(null)
    : read(api.GET('/api/v1/org-units', { params: { query: {} } }))), [unitId, account.orgUnitId]);
  const unit = unitId ?? account.orgUnitId ?? roots.data?.orgUnits.find((u) => u.parentId === null)?.orgUnitId;

  const go = (next: { unit?: string; from?: string; to?: string }) => {
    const f = next.from ?? from;
    const tt = next.to ?? to;
    navigate(`/dashboard/${encodeURIComponent(next.unit ?? unit ?? '')}?from=${f}&to=${tt}`, { replace: !next.unit });
  };

  if (roots.error) return <ErrorNotice error={roots.error} onRetry={roots.reload} />;
  if (!unit) return roots.data ? <Empty title={t('dashboard.noUnits')} /> : <Loading />;
  return <UnitDashboard key={unit} unit={unit} from={from} to={to > from ? to : from} go={go} />;
}

function UnitDashboard({ unit, from, to, go }: { unit: string; from: string; to: string; go: (next: { unit?: string; from?: string; to?: string }) => void }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const range = { from: `${from}-01`, to: lastDayOf(to) };
  const view = useApi(() => read(api.GET('/api/v1/org-units/{id}', { params: { path: { id: unit }, query: { minPosition: seenPosition() } } })), [unit]);
  const reports = useApi(async () => {
    const get = (groupBy: Grouping) => read(api.GET('/api/v1/org-units/{id}/report', {
      params: { path: { id: unit }, query: { ...range, groupBy, minPosition: seenPosition() } },
    }));
    const [child, category, month, group] = await Promise.all(GROUPINGS.map(get));
    return { child, category, month, group };
  }, [unit, range.from, range.to]);
  const dashboard = useApi(() => read(api.GET('/api/v1/org-units/{id}/dashboard', {
    params: { path: { id: unit }, query: { period: to, minPosition: seenPosition() } },
  })), [unit, to]);
  const [exportBy, setExportBy] = useState<Grouping>('child');
  const [exportError, setExportError] = useState<ApiError | null>(null);

  const charts = useMemo(() => {
    if (!reports.data) return null;
    const { child, category, month, group } = reports.data;
    const axis = { axisLabel: { color: '#3d4450' }, axisLine: { lineStyle: { color: '#8a929c' } } };
    const hoursAxis = { type: 'value', name: t('unit.h'), ...axis, splitLine: { lineStyle: { color: '#e3e6ea' } } };
    const tooltip = { trigger: 'axis', valueFormatter: (v: number) => t('unit.hours', { h: v }) };
    const categories = category.rows.filter((r) => r.serviceMinutes > 0).sort((a, b) => b.serviceMinutes - a.serviceMinutes);
    const children = child.rows.filter((r) => r.key !== unit || r.serviceMinutes > 0);
    return {
      month: {
        color: [PALETTE[0]], tooltip, grid: { left: 48, right: 16, top: 32, bottom: 32 },
        xAxis: { type: 'category', data: month.rows.map((r) => (lang === 'zh' ? r.label : r.key)), ...axis },
        yAxis: hoursAxis,
        series: [{ type: 'line', name: t('dashboard.hours'), data: month.rows.map((r) => hoursOf(r.serviceMinutes)), smooth: false, areaStyle: { opacity: 0.12 }, symbolSize: 8 }],
      } as ChartOption,
      category: {
        color: [PALETTE[1]], tooltip, grid: { left: 110, right: 24, top: 16, bottom: 24 },
        yAxis: { type: 'category', inverse: true, data: categories.map((r) => categoryName(r.key)), ...axis },
        xAxis: hoursAxis,
        series: [{ type: 'bar', name: t('dashboard.hours'), data: categories.map((r) => hoursOf(r.serviceMinutes)), barMaxWidth: 22 }],
      } as ChartOption,
      child: {
        color: [PALETTE[0]], tooltip, grid: { left: 130, right: 24, top: 16, bottom: 24 },
        yAxis: { type: 'category', inverse: true, data: children.map((r) => (r.key === unit ? t('dashboard.ownLevel') : r.label)), ...axis },
        xAxis: hoursAxis,
        series: [{ type: 'bar', name: t('dashboard.hours'), data: children.map((r) => hoursOf(r.serviceMinutes)), barMaxWidth: 22, cursor: 'pointer' }],
      } as ChartOption,
      group: {
        color: [PALETTE[0], PALETTE[2]], legend: { top: 0 }, grid: { left: 110, right: 48, top: 36, bottom: 24 },
        tooltip: { trigger: 'axis' },
        yAxis: { type: 'category', inverse: true, data: group.rows.map((r) => t(`group.${r.key}` as MessageKey)), ...axis },
        xAxis: [{ type: 'value', ...axis, splitLine: { lineStyle: { color: '#e3e6ea' } } }],
        series: [
          { type: 'bar', name: t('dashboard.hours'), data: group.rows.map((r) => hoursOf(r.serviceMinutes)), barMaxWidth: 16 },
          { type: 'bar', name: t('dashboard.volunteers'), data: group.rows.map((r) => r.volunteers), barMaxWidth: 16 },
        ],
      } as ChartOption,
      children,
    };
  }, [reports.data, lang, t, unit, categoryName]);

  async function exportReport(format: 'csv' | 'xlsx') {
    setExportError(null);
    const path = `/api/v1/org-units/${encodeURIComponent(unit)}/report.${format}?from=${range.from}&to=${range.to}&groupBy=${exportBy}`;
    try {
      await download(path, format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `report.${format}`);
    } catch (caught) {
      setExportError(caught as ApiError);
    }
  }

  const drill = (name: string) => {
    const target = charts?.children.find((r) => r.label === name && r.key !== unit);
    if (target) go({ unit: target.key });
  };

  if (view.error) return <ErrorNotice error={view.error} onRetry={view.reload} />;
  const total = reports.data?.child.total;
  return (
    <>
      {view.data && view.data.path.length > 0 && (
        <nav aria-label={t('dashboard.breadcrumb')} className="breadcrumb">
          {view.data.path.map((p) => <span key={p.orgUnitId}><Link to={`/dashboard/${encodeURIComponent(p.orgUnitId)}?from=${from}&to=${to}`}>{p.name}</Link> › </span>)}
        </nav>
      )}
      <PageTitle>{view.data ? t('dashboard.titleOf', { unit: view.data.name }) : t('nav.dashboard')}</PageTitle>
      <form className="period card" onSubmit={(e) => e.preventDefault()} aria-label={t('dashboard.period')}>
        <div className="field">
          <label htmlFor="period-from">{t('dashboard.from')}</label>
          <input id="period-from" type="month" value={from} max={to} required onChange={(e) => MONTH.test(e.target.value) && go({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="period-to">{t('dashboard.to')}</label>
          <input id="period-to" type="month" value={to} min={from} required onChange={(e) => MONTH.test(e.target.value) && go({ to: e.target.value })} />
        </div>
        <div className="presets" role="group" aria-label={t('dashboard.presets')}>
          {presets().map((p) => (
            <button key={p.key} type="button" className="tab" aria-pressed={p.from === from && p.to === to} onClick={() => go({ from: p.from, to: p.to })}>{t(p.key)}</button>
          ))}
        </div>
      </form>

      {reports.error ? <ErrorNotice error={reports.error} onRetry={reports.reload} />
        : !reports.data || !charts || !total ? <Loading />
          : (
            <>
              <div className="stats" aria-busy={reports.loading}>
                <Stat label={t('dashboard.hours')} value={hours(total.serviceMinutes)} unit={t('unit.h')} id="total-hours" />
                <Stat label={t('dashboard.activities')} value={String(total.activities)} id="total-activities" />
                <Stat label={t('dashboard.volunteers')} value={String(total.volunteers)} id="total-volunteers" />
                <Stat label={t('dashboard.overdue')} value={dashboard.data ? String(dashboard.data.overdueCount) : '…'} id="total-overdue" warn={!!dashboard.data && dashboard.data.overdueCount > 0} />
              </div>
              {total.serviceMinutes === 0 && total.activities === 0 ? <Empty title={t('dashboard.empty')}><p>{t('dashboard.emptyHint')}</p></Empty> : (
                <div className="chart-grid">
                  <section className="card" aria-labelledby="chart-month"><h2 id="chart-month">{t('dashboard.byMonth')}</h2>
                    <Chart option={charts.month} label={t('dashboard.byMonth')} /></section>
                  <section className="card" aria-labelledby="chart-category"><h2 id="chart-category">{t('dashboard.byCategory')}</h2>
                    <Chart option={charts.category} label={t('dashboard.byCategory')} /></section>
                  {charts.children.length > 0 && (
                    <section className="card" aria-labelledby="chart-child"><h2 id="chart-child">{t('dashboard.byChild')}</h2>
                      <p className="muted small">{t('dashboard.drillHint')}</p>
                      <Chart option={charts.child} label={t('dashboard.byChild')} onSelect={drill} height={Math.max(160, charts.children.length * 44)} />
                      <div className="table-wrap">
                        <table>
                          <thead><tr><th scope="col">{t('dashboard.unit')}</th><th scope="col">{t('dashboard.hours')}</th><th scope="col">{t('dashboard.activities')}</th><th scope="col">{t('dashboard.volunteers')}</th></tr></thead>
                          <tbody>
                            {charts.children.map((r) => (
                              <tr key={r.key}>
                                <th scope="row">{r.key === unit ? t('dashboard.ownLevel') : <Link to={`/dashboard/${encodeURIComponent(r.key)}?from=${from}&to=${to}`}>{r.label}</Link>}</th>
                                <td className="num">{hours(r.serviceMinutes)}</td><td className="num">{r.activities}</td><td className="num">{r.volunteers}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    </section>
                  )}
                  <section className="card" aria-labelledby="chart-group"><h2 id="chart-group">{t('dashboard.byGroup')}</h2>
                    <p className="muted small">{t('dashboard.groupHint')}</p>
                    <Chart option={charts.group} label={t('dashboard.byGroup')} height={300} /></section>
                </div>
              )}
            </>
          )}

      {dashboard.data && dashboard.data.overdueActivities.length > 0 && (
        <section className="card" aria-labelledby="overdue-heading">
          <h2 id="overdue-heading">{t('dashboard.overdueList', { n: dashboard.data.overdueCount })}</h2>
          <ul className="plain-list overdue-list">
            {dashboard.data.overdueActivities.slice(0, 10).map((a) => (
              <li key={a.activityId}>{a.title} · {a.orgUnitName} · <span className="overdue-text">{t('activity.dueWas', { date: day(a.recordsDueBy, lang) })}</span></li>
            ))}
          </ul>
        </section>
      )}

      <section className="card export" aria-labelledby="export-heading">
        <h2 id="export-heading">{t('dashboard.export')}</h2>
        <div className="form form-inline">
          <div className="field">
            <label htmlFor="export-by">{t('dashboard.exportBy')}</label>
            <select id="export-by" value={exportBy} onChange={(e) => setExportBy(e.target.value as Grouping)}>
              {GROUPINGS.map((g) => <option key={g} value={g}>{t(`dashboard.groupBy.${g}` as MessageKey)}</option>)}
            </select>
          </div>
          <button type="button" className="button button-secondary" onClick={() => void exportReport('csv')}>{t('dashboard.exportCsv')}</button>
          <button type="button" className="button button-secondary" onClick={() => void exportReport('xlsx')}>{t('dashboard.exportXlsx')}</button>
        </div>
        {exportError && <ErrorNotice error={exportError} />}
      </section>
    </>
  );
}

function Stat({ label, value, unit, id, warn }: { label: string; value: string; unit?: string; id: string; warn?: boolean }) {
  return (
    <div className={`stat card${warn ? ' stat-warn' : ''}`}>
      <p className="stat-label" id={`${id}-label`}>{label}</p>
      <p className="stat-value" aria-labelledby={`${id}-label`} data-testid={id}>{value}{unit && <span className="unit">{unit}</span>}</p>
    </div>
  );
}

function presets(): { key: MessageKey; from: string; to: string }[] {
  const month = shanghaiToday().slice(0, 7);
  const [y, m] = month.split('-').map(Number);
  const back = (n: number) => {
    const d = new Date(Date.UTC(y, m - 1 - n, 1));
    return d.toISOString().slice(0, 7);
  };
  return [
    { key: 'dashboard.preset.month', from: month, to: month },
    { key: 'dashboard.preset.quarter', from: back(2), to: month },
    { key: 'dashboard.preset.year', from: `${y}-01`, to: month },
    { key: 'dashboard.preset.lastYear', from: `${y - 1}-01`, to: `${y - 1}-12` },
  ];
}
