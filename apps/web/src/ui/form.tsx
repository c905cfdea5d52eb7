import type { ReactNode } from 'react';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';
import { ErrorNotice } from './states';

/** A labelled field; the API's message for this field, if it refused it, is shown under it and announced. */
export function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: ApiError | null; children: ReactNode }) {
  const { api } = useI18n();
  const messages = error?.errors.filter((e) => e.field === id || e.field.endsWith(`.${id}`)).map((e) => api(e.message)) ?? [];
  return (
    <div className={`field${messages.length ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {messages.map((m, i) => <p key={i} className="field-error" role="alert">{m}</p>)}
    </div>
  );
}

/**
 * The end of a form: its refusal, if the server refused it, then its submit
 * button (saying "正在保存…" while it is sent) and its cancel, a button that
 * closes a dialog (`onCancel`) or a link back (`cancelTo`).
 */
export function FormActions({ busy, error, label, disabled = false, onCancel, cancelTo, block = false, danger = false, fields }: {
  busy: boolean;
  error: ApiError | null;
  label: string;
  /** The submit destroys something (red). */
  danger?: boolean;
  /** The API's names of the fields the form shows (see ErrorNotice). */
  fields?: readonly string[];
  /** Not ready to send yet (besides being busy). */
  disabled?: boolean;
  onCancel?: () => void;
  cancelTo?: string;
  /** Full-width buttons (the phone pages). */
  block?: boolean;
}) {
  const { t } = useI18n();
  const width = block ? ' button-block' : '';
  return (
    <>
      {error && <ErrorNotice error={error} shownFields={fields} />}
      <div className="form-actions">
        <button type="submit" className={`button ${danger ? 'button-danger' : 'button-primary'}${width}`} disabled={busy || disabled}>{busy ? t('state.saving') : label}</button>
        {onCancel && <button type="button" className={`button button-secondary${width}`} onClick={onCancel}>{t('action.cancel')}</button>}
        {cancelTo && <Link to={cancelTo} className={`button button-secondary${width}`}>{t('action.cancel')}</Link>}
      </div>
    </>
  );
}
