import { type ChangeEvent, useState } from 'react';
import type { Schema } from '../api/client';
import { newIdempotencyKey } from '../api/idempotency';
import { ApiError } from '../api/problem';
import { base64Of, type ImportFileBody, postWithProgress } from '../api/upload';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { Link } from '../router';
import { useAccount } from '../session/session';
import { useCategoryName } from '../ui/badges';
import { hours } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { ErrorNotice, Notice } from '../ui/states';

const TEMPLATE = '\uFEFF志愿者编号,姓名,服务日期,服务类别,服务时长（分钟）,服务内容,服务地点,负责人\r\nv-033,俞阿姨,2026-10-08,垃圾分类,90,小区垃圾分类桶边督导,桃花坞社区,张主任\r\n';

function downloadTemplate() {
  const url = URL.createObjectURL(new Blob([TEMPLATE], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = '服务记录导入模板.csv';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type Stage = { kind: 'idle' } | { kind: 'uploading'; what: 'preview' | 'commit'; fraction: number } | { kind: 'checking'; what: 'preview' | 'commit' };

/**
 * Importing past records: choose a sheet, see every row checked (nothing is
 * recorded yet), then record all rows at once, or none if any row is wrong.
 */
export function ImportPage() {
  const { t, api } = useI18n();
  const account = useAccount();
  const categoryName = useCategoryName();
  const [body, setBody] = useState<ImportFileBody | null>(null);
  const [key, setKey] = useState('');
  const [preview, setPreview] = useState<Schema<'ImportPreviewAnswer'> | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Schema<'ImportAnswer'> | null>(null);

  const send = <P extends '/api/v1/service-records/imports/preview' | '/api/v1/service-records/imports'>(path: P, file: ImportFileBody, headers: Record<string, string> = {}) => {
    const what = path.endsWith('/preview') ? 'preview' : 'commit';
    setStage({ kind: 'uploading', what, fraction: 0 });
    return postWithProgress(path, file, headers, (fraction) => setStage(fraction >= 1 ? { kind: 'checking', what } : { kind: 'uploading', what, fraction }))
      .finally(() => setStage({ kind: 'idle' }));
  };

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setPreview(null);
    setDone(null);
    setError(null);
    if (!file) return;
    try {
      const next: ImportFileBody = { orgUnitId: account.orgUnitId!, fileName: file.name, content: await base64Of(file) };
      setBody(next);
      setKey(newIdempotencyKey()); // one key per file: a commit retried after a network failure records once
      setPreview(await send('/api/v1/service-records/imports/preview', next));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'client', 'Error', String(caught)));
    }
  }

  async function commit() {
    if (!body) return;
    setError(null);
    try {
      setDone(await send('/api/v1/service-records/imports', body, { 'idempotency-key': key }));
      setPreview(null);
    } catch (caught) {
      setError(caught as ApiError);
    }
  }

  const busy = stage.kind !== 'idle';
  return (
    <>
      <PageTitle>{t('import.title')}</PageTitle>
      <section className="card">
        <p>{t('import.explain')}</p>
        <ol className="steps">
          <li>{t('import.step1')} <button type="button" className="button-link" onClick={downloadTemplate}>{t('import.template')}</button></li>
          <li>{t('import.step2')}</li>
          <li>{t('import.step3')}</li>
        </ol>
        <div className="field">
          <label htmlFor="import-file">{t('import.file')}</label>
          <input id="import-file" type="file" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" disabled={busy} onChange={(e) => void choose(e)} />
        </div>
        {busy && (
          <div className="progress-block" role="status" aria-live="polite">
            <p>{stage.kind === 'uploading' ? t('import.uploading', { pct: Math.round(stage.fraction * 100) })
              : t(stage.what === 'preview' ? 'import.checking' : 'import.committing')}</p>
            <progress max={1} value={stage.kind === 'uploading' ? stage.fraction : undefined} aria-label={t('import.progress')} />
          </div>
        )}
      </section>
      {error && <ErrorNotice error={error} />}
      {done && (
        <Notice kind="success" title={t('import.done', { n: done.imported, h: hours(done.totalMinutes) })}>
          <p><Link to="/staff/records?tab=approved">{t('import.seeRecords')}</Link></p>
        </Notice>
      )}
      {preview && (
        <section className="card" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t('import.preview', { file: preview.fileName })}</h2>
          {preview.invalid > 0
            ? <Notice kind="warning" title={t('import.hasErrors', { n: preview.invalid, total: preview.total })}>{t('import.nothingRecorded')}</Notice>
            : <Notice kind="info" title={t('import.allGood', { n: preview.total, h: hours(preview.totalMinutes) })} />}
          <div className="table-wrap">
            <table className="import-table">
              <thead>
                <tr>
                  <th scope="col">{t('import.row')}</th><th scope="col">{t('record.volunteer')}</th><th scope="col">{t('record.date')}</th>
                  <th scope="col">{t('activity.category')}</th><th scope="col">{t('record.hours')}</th><th scope="col">{t('record.description')}</th>
                  <th scope="col">{t('import.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.row} className={r.errors.length > 0 ? 'row-error' : undefined}>
                    <td className="num">{r.row}</td>
                    <td>{r.displayName ?? r.volunteerName ?? ''} <span className="muted small">{r.volunteerId}</span></td>
                    <td>{r.serviceDate ?? ''}</td>
                    <td>{r.category ? categoryName(r.category) : ''}</td>
                    <td className="num">{r.minutes !== null ? hours(r.minutes) : ''}</td>
                    <td>{r.description}</td>
                    <td>{r.errors.length === 0 ? <span className="ok-text">{t('import.rowOk')}</span>
                      : <ul className="plain-list error-text">{r.errors.map((e, i) => <li key={i}>{t(`import.field.${e.field}` as MessageKey)}：{api(e.message)}</li>)}</ul>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="form-actions">
            <button type="button" className="button button-primary" disabled={busy || preview.invalid > 0} onClick={() => void commit()}>
              {t('import.commit', { n: preview.total })}
            </button>
            {preview.invalid > 0 && <p className="muted">{t('import.fixFirst')}</p>}
          </div>
        </section>
      )}
    </>
  );
}
