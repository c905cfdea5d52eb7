import { useEffect, useState } from 'react';
import { api, read } from '../api/client';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { Field } from '../ui/form';
import { ErrorNotice } from '../ui/states';
import { useApi } from '../ui/use-api';

/**
 * Finds a volunteer of the unit by name (once typing pauses) and offers one
 * action on each match: enroll in an activity, add to a team. Those already
 * there (`taken`) are shown without it.
 */
export function VolunteerPicker({ id = 'volunteer-search', unit, label, taken, takenLabel, action, actionWho, onPick }: {
  /** The search field's id (one per page). */
  id?: string;
  unit: string;
  label: string;
  taken: ReadonlySet<string>;
  takenLabel: string;
  action: string;
  actionWho: (name: string) => string;
  /** Does the work; a refusal it throws is shown under the search. */
  onPick: (volunteerId: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setSearch(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const found = useApi(() => (search.length === 0 ? Promise.resolve(null)
    : read(api.GET('/api/v1/org-units/{id}/volunteers', { params: { path: { id: unit }, query: { q: search, limit: 8 } } }))), [search, unit]);

  async function pick(volunteerId: string) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onPick(volunteerId);
      setQ('');
      setSearch('');
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="add-volunteer">
      <Field id={id} label={label}>
        <input id={id} type="search" maxLength={50} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('roster.searchHint')} autoComplete="off" />
      </Field>
      {found.data && (
        found.data.volunteers.length === 0 ? <p className="muted">{t('roster.noMatch')}</p> : (
          <ul className="suggestions">
            {found.data.volunteers.map((v) => (
              <li key={v.volunteerId}>
                <span>{v.displayName} <span className="muted small">{v.homeOrgUnitName}</span></span>
                {taken.has(v.volunteerId) ? <span className="muted small">{takenLabel}</span>
                  : <button type="button" className="button button-small button-secondary" disabled={busy} onClick={() => void pick(v.volunteerId)}
                    aria-label={actionWho(v.displayName)}>{action}</button>}
              </li>
            ))}
          </ul>
        )
      )}
      {found.error && <ErrorNotice error={found.error} onRetry={found.reload} />}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
