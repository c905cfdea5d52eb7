import { useState } from 'react';
import { api, command, read, seenPosition } from '../api/client';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { Link } from '../router';
import { useAccount } from '../session/session';
import { Badge } from '../ui/badges';
import { Field, FormActions } from '../ui/form';
import { hours } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Modal } from '../ui/modal';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';
import { useSubmit } from '../ui/use-submit';

/** The occupations reports group volunteers by (libs/domain categories.ts), with their labels in the dictionary. */
const OCCUPATIONS = [['courier', 'person.courier'], ['food-delivery', 'person.foodDelivery'], ['ride-hailing', 'person.rideHailing'], ['other', 'person.other']] as const;
export type Occupation = (typeof OCCUPATIONS)[number][0];
export const occupationLabel = (code: string): MessageKey => (OCCUPATIONS.find(([c]) => c === code)?.[1] ?? 'person.other');

/**
 * The volunteers of the unit: find one by name, see their approved hours and
 * the groups reports count them in; register a new one (a resident who
 * joined, a rider of the 红引擎 team) so that they can be enrolled, credited
 * and given an account.
 */
export function VolunteersPage() {
  const { t } = useI18n();
  const unit = useAccount().orgUnitId!;
  const [q, setQ] = useState('');
  const [registering, setRegistering] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const list = useApi(() => read(api.GET('/api/v1/org-units/{id}/volunteers', {
    params: { path: { id: unit }, query: { q: q.trim() || undefined, limit: 50, minPosition: seenPosition() } },
  })), [unit, q]);

  return (
    <div className="narrow">
      <PageTitle actions={(
        <>
          <Link to="/teams" className="button button-secondary">{t('nav.teams')}</Link>
          <button type="button" className="button button-primary" onClick={() => setRegistering(true)}>{t('volunteers.register')}</button>
        </>
      )}>
        {t('nav.volunteers')}
      </PageTitle>
      {done && <Notice kind="success" title={done} />}
      <div className="field">
        <label htmlFor="volunteer-search">{t('certificate.search')}</label>
        <input id="volunteer-search" type="search" maxLength={50} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('certificate.searchPlaceholder')} />
      </div>
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} />
        : !list.data ? <Loading />
          : list.data.volunteers.length === 0 ? <Empty title={t(q.trim() ? 'certificate.noneFound' : 'volunteers.none')} />
            : (
              <>
                <p className="muted">
                  {t('volunteers.count', { n: list.data.total })}
                  {list.data.total > list.data.volunteers.length ? ` ${t('volunteers.firstOnly', { n: list.data.volunteers.length })}` : ''}
                </p>
                <ul className="cards" aria-label={t('nav.volunteers')}>
                  {list.data.volunteers.map((v) => (
                    <li key={v.volunteerId} className="card record-card">
                      <div className="card-main">
                        <Link to={`/staff/volunteers/${encodeURIComponent(v.volunteerId)}`} className="card-title">{v.displayName}</Link>
                        <p className="badge-row">
                          {v.partyMember && <Badge tone="danger">{t('person.partyMember')}</Badge>}
                          {v.senior && <Badge tone="warning">{t('person.senior')}</Badge>}
                          {v.occupation !== 'other' && <Badge tone="info">{t(occupationLabel(v.occupation))}</Badge>}
                        </p>
                      </div>
                      <div className="card-side"><span className="figure">{t('unit.hours', { h: hours(v.approvedMinutes) })}</span></div>
                    </li>
                  ))}
                </ul>
              </>
            )}
      {registering && (
        <RegisterVolunteer unit={unit} onClose={() => setRegistering(false)} onDone={(name) => {
          setRegistering(false);
          setDone(t('volunteers.registered', { name }));
          list.reload();
        }} />
      )}
    </div>
  );
}

/** The fields of the registration form, as the API names them. */
const REGISTER_FIELDS = ['displayName', 'partyMember', 'senior', 'occupation', 'realName', 'phone', 'idNumber'];

/** Registers a volunteer of the unit. Personal data (real name, phone, ID number) is optional and sealed by the server. */
function RegisterVolunteer({ unit, onClose, onDone }: { unit: string; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ displayName: '', realName: '', phone: '', idNumber: '', partyMember: false, senior: false, occupation: 'other' as Occupation });
  const set = (name: 'realName' | 'phone' | 'idNumber') => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

  const { busy, error, submit } = useSubmit(async () => {
    await command((headers) => api.POST('/api/v1/volunteers', {
      headers,
      body: {
        homeOrgUnitId: unit, displayName: form.displayName, realName: optional(form.realName), phone: optional(form.phone), idNumber: optional(form.idNumber),
        partyMember: form.partyMember, senior: form.senior, occupation: form.occupation,
      },
    }));
    onDone(form.displayName.trim());
  });

  return (
    <Modal title={t('volunteers.register')} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <ProfileFields form={form} onChange={(f) => setForm((old) => ({ ...old, ...f }))} error={error} />
        <p className="hint">{t('volunteers.personalExplain')}</p>
        <Field id="realName" label={t('volunteers.realName')} error={error}>
          <input id="realName" maxLength={50} value={form.realName} onChange={set('realName')} autoComplete="off" />
        </Field>
        <Field id="phone" label={t('volunteers.phone')} error={error}>
          <input id="phone" type="tel" inputMode="tel" maxLength={20} value={form.phone} onChange={set('phone')} autoComplete="off" />
        </Field>
        <Field id="idNumber" label={t('volunteers.idNumber')} error={error}>
          <input id="idNumber" maxLength={18} value={form.idNumber} onChange={set('idNumber')} autoComplete="off" />
        </Field>
        <FormActions busy={busy} error={error} label={t('volunteers.registerSubmit')} onCancel={onClose} fields={REGISTER_FIELDS} />
      </form>
    </Modal>
  );
}

/** The name shown, the groups and the occupation of a volunteer: registering and changing a profile share them. */
export function ProfileFields({ form, onChange, error }: {
  form: { displayName: string; partyMember: boolean; senior: boolean; occupation: Occupation };
  onChange: (change: Partial<{ displayName: string; partyMember: boolean; senior: boolean; occupation: Occupation }>) => void;
  error: ApiError | null;
}) {
  const { t } = useI18n();
  return (
    <>
      <Field id="displayName" label={t('volunteers.displayName')} hint={t('volunteers.displayNameHint')} error={error}>
        <input id="displayName" required maxLength={50} value={form.displayName} onChange={(e) => onChange({ displayName: e.target.value })} autoComplete="off" />
      </Field>
      <fieldset className="field">
        <legend>{t('volunteers.groups')}</legend>
        <label className="choice">
          <input type="checkbox" checked={form.partyMember} onChange={(e) => onChange({ partyMember: e.target.checked })} />
          {' '}{t('person.partyMember')}
        </label>
        <label className="choice">
          <input type="checkbox" checked={form.senior} onChange={(e) => onChange({ senior: e.target.checked })} />
          {' '}{t('person.senior')}
        </label>
      </fieldset>
      <Field id="occupation" label={t('volunteers.occupation')} error={error}>
        <select id="occupation" value={form.occupation} onChange={(e) => onChange({ occupation: e.target.value as Occupation })}>
          {OCCUPATIONS.map(([code, label]) => <option key={code} value={code}>{t(label)}</option>)}
        </select>
      </Field>
    </>
  );
}
