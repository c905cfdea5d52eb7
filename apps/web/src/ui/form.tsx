import type { ReactNode } from 'react';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';

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
