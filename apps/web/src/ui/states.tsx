import type { ReactNode } from 'react';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('state.loading')}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

/** What went wrong, in plain words: the API's own message (problem+json detail, field by field), never a code. */
export function ErrorNotice({ error, onRetry, shownFields }: {
  error: ApiError;
  onRetry?: () => void;
  /** The API's names of the fields the form shows (each with its message under it); see below. */
  shownFields?: readonly string[];
}) {
  const { t, api } = useI18n();
  const heading = error.status === 0 ? t('error.network')
    : error.status === 403 ? t('error.forbidden')
      : error.status === 404 ? t('error.notFound')
        : error.status >= 500 ? t('error.server')
          : t('error.refused');
  // A 403 of the access check says nothing specific; another 403 (a rule, e.g. only an admin may undo an admin) says why.
  const generic403 = error.status === 403 && (error.code === 'out-of-scope' || error.code === 'role-not-permitted' || !error.detail);
  // A refused form's detail names its fields as the API knows them ("phone"). Where the form shows every field
  // refused, with its message under it, a plain sentence says so instead; otherwise the names stay.
  const underFields = shownFields !== undefined && error.code === 'validation-failed' && error.errors.length > 0
    && error.errors.every((e) => shownFields.includes(e.field));
  const detail = error.status === 0 ? t('error.networkDetail') : generic403 ? t('error.forbiddenDetail')
    : underFields ? t('error.checkFields') : api(error.detail || error.title);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{heading}</p>
      {detail && <p>{detail}</p>}
      {error.errors.length > 0 && (
        <ul className="field-errors">
          {error.errors.slice(0, 20).map((e, i) => <li key={i}>{api(e.message)}</li>)}
          {error.errors.length > 20 && <li>{t('error.more', { n: error.errors.length - 20 })}</li>}
        </ul>
      )}
      {onRetry && error.status !== 403 && error.status !== 404 && <button type="button" className="button button-secondary" onClick={onRetry}>{t('action.retry')}</button>}
    </div>
  );
}

export function Notice({ kind, title, children }: { kind: 'success' | 'info' | 'warning'; title: string; children?: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      <p className="notice-title">{title}</p>
      {children}
    </div>
  );
}
