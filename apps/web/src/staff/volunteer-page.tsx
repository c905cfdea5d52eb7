import { useState } from 'react';
import { api, command, read, seenPosition, type Schema } from '../api/client';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';
import { Field, FormActions } from '../ui/form';
import { PageTitle } from '../ui/layout';
import { Modal } from '../ui/modal';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';
import { useSubmit } from '../ui/use-submit';
import { HoursCard, RecordCard } from '../volunteer/me-page';
import { type Occupation, occupationLabel, ProfileFields } from './volunteers-page';
import { Badge } from '../ui/badges';
import { indented } from '../admin/units-page';

/**
 * One volunteer, as the community's staff see them: hours, star level and
 * every record with its corrections (what the volunteer sees on their own
 * page). Personal data is opened only when asked for (each opening is logged
 * by the server), and erased at the volunteer's request; their hours stay.
 */
export function VolunteerPage({ volunteerId }: { volunteerId: string }) {
  const { t } = useI18n();
  const hoursView = useApi(() => read(api.GET('/api/v1/volunteers/{id}/hours', { params: { path: { id: volunteerId }, query: { minPosition: seenPosition() } } })), [volunteerId]);
  const records = useApi(() => read(api.GET('/api/v1/volunteers/{id}/records', { params: { path: { id: volunteerId }, query: { minPosition: seenPosition() } } })), [volunteerId]);
  // Groups and occupation, without opening the personal data (nothing logged).
  const summary = useApi(() => read(api.GET('/api/v1/volunteers/{id}', {
    params: { path: { id: volunteerId }, query: { personalData: 'omit', minPosition: seenPosition() } },
  })), [volunteerId]);
  const [editing, setEditing] = useState(false);
  const [changed, setChanged] = useState(false);
  const [profile, setProfile] = useState<Schema<'VolunteerProfileAnswer'> | null>(null);
  const [profileError, setProfileError] = useState<ApiError | null>(null);
  const [erasing, setErasing] = useState(false);
  const [erased, setErased] = useState(false);
  const [opening, setOpening] = useState(false);

  async function showPersonalData() {
    if (opening) return;
    setOpening(true);
    setProfileError(null);
    try {
      setProfile(await read(api.GET('/api/v1/volunteers/{id}', { params: { path: { id: volunteerId }, query: { minPosition: seenPosition() } } })));
    } catch (caught) {
      setProfileError(caught as ApiError);
    } finally {
      setOpening(false);
    }
  }

  const back = <Link to="/staff/volunteers" className="button button-ghost">{t('volunteer.back')}</Link>;
  if (hoursView.error) {
    return (
      <div className="narrow">
        <PageTitle actions={back}>{t('nav.volunteers')}</PageTitle>
        <ErrorNotice error={hoursView.error} onRetry={hoursView.reload} />
      </div>
    );
  }
  if (!hoursView.data) return <Loading />;
  const name = hoursView.data.displayName;
  const personal = profile?.personalData;
  return (
    <div className="narrow">
      <PageTitle actions={back}>{name}</PageTitle>
      {erased && <Notice kind="success" title={t('volunteer.erased', { name })} />}
      {changed && <Notice kind="success" title={t('volunteer.changed', { name })} />}
      {summary.data && (
        <div className="section-head">
          <p className="badge-row">
            {summary.data.partyMember && <Badge tone="danger">{t('person.partyMember')}</Badge>}
            {summary.data.senior && <Badge tone="warning">{t('person.senior')}</Badge>}
            {summary.data.occupation !== 'other' && <Badge tone="info">{t(occupationLabel(summary.data.occupation))}</Badge>}
          </p>
          <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>{t('volunteer.edit')}</button>
        </div>
      )}
      <HoursCard hours={hoursView.data} greeting={false} />
      <section className="card" aria-labelledby="personal-heading">
        <h2 id="personal-heading">{t('volunteer.personal')}</h2>
        {profileError && <ErrorNotice error={profileError} />}
        {!profile ? (
          <>
            <p className="muted">{t('volunteer.personalExplain')}</p>
            <button type="button" className="button button-secondary" disabled={opening} onClick={() => void showPersonalData()}>{opening ? t('state.loading') : t('volunteer.showPersonal')}</button>
          </>
        ) : profile.personalDataErased ? <p>{t('volunteer.personalErased')}</p>
          : !personal ? <p>{t('volunteer.personalNone')}</p>
            : (
              <>
                <dl className="facts">
                  <div><dt>{t('volunteer.realName')}</dt><dd>{personal.realName ?? '—'}</dd></div>
                  <div><dt>{t('volunteer.phone')}</dt><dd>{personal.phone ?? '—'}</dd></div>
                  <div><dt>{t('volunteer.idNumber')}</dt><dd>{personal.idNumber ?? '—'}</dd></div>
                </dl>
                <button type="button" className="button button-danger" onClick={() => setErasing(true)}>{t('volunteer.erase')}</button>
              </>
            )}
      </section>
      <section aria-labelledby="records-heading">
        <h2 id="records-heading">{t('volunteer.records')}</h2>
        {records.error ? <ErrorNotice error={records.error} onRetry={records.reload} />
          : !records.data ? <Loading />
            : records.data.records.length === 0 ? <Empty title={t('volunteer.noRecords')} />
              : <ul className="cards">{records.data.records.map((r) => <RecordCard key={r.recordId} record={r} />)}</ul>}
      </section>
      {editing && summary.data && (
        <EditProfile profile={summary.data} onClose={() => setEditing(false)} onDone={() => {
          setEditing(false);
          setChanged(true);
          summary.reload();
          hoursView.reload();
        }} />
      )}
      {erasing && (
        <EraseDialog volunteerId={volunteerId} name={name} onClose={() => setErasing(false)} onDone={() => {
          setErasing(false);
          setErased(true);
          // Gone from the screen at once, whatever the next reading answers.
          setProfile((p) => (p ? { ...p, personalData: null, personalDataErased: true } : p));
          void showPersonalData();
        }} />
      )}
    </div>
  );
}

/** Erases a volunteer's personal data (their key is destroyed: the sealed copies in the log can no longer be opened). */
function EraseDialog({ volunteerId, name, onClose, onDone }: { volunteerId: string; name: string; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await command((headers) => api.DELETE('/api/v1/volunteers/{id}/personal-data', {
      headers, params: { path: { id: volunteerId } }, body: { reason: reason.trim() || undefined },
    }));
    onDone();
  });
  return (
    <Modal title={t('volunteer.eraseTitle', { name })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p>{t('volunteer.eraseExplain')}</p>
        <Field id="reason" label={t('volunteer.eraseReason')} error={error}>
          <input id="reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
        </Field>
        <FormActions busy={busy} error={error} label={t('volunteer.eraseConfirm')} onCancel={onClose} danger fields={['reason']} />
      </form>
    </Modal>
  );
}

/**
 * Changes the name shown, the groups, the occupation and, for staff of a street
 * or town, the unit the volunteer belongs to (one of theirs): only what was changed is sent.
 */
function EditProfile({ profile, onClose, onDone }: { profile: Schema<'VolunteerProfileAnswer'>; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    displayName: profile.displayName, partyMember: profile.partyMember, senior: profile.senior, occupation: profile.occupation as Occupation,
    homeOrgUnitId: profile.homeOrgUnitId,
  });
  // The units the staff member looks after: a move is offered only where there is somewhere to move to.
  const units = useApi(() => read(api.GET('/api/v1/org-units', {})), []);
  const homes = indented(units.data?.orgUnits ?? []);
  const { busy, error, submit } = useSubmit(async () => {
    const changes = Object.fromEntries(Object.entries(form).filter(([key, value]) => value !== profile[key as keyof typeof form]));
    if (Object.keys(changes).length === 0) {
      onClose();
      return false;
    }
    await command((headers) => api.POST('/api/v1/volunteers/{id}/profile-changes', { headers, params: { path: { id: profile.volunteerId } }, body: changes }));
    onDone();
  });
  return (
    <Modal title={t('volunteer.editTitle', { name: profile.displayName })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <ProfileFields form={form} onChange={(f) => setForm((old) => ({ ...old, ...f }))} error={error} />
        {homes.length > 1 && (
          <Field id="homeOrgUnitId" label={t('volunteer.home')} hint={t('volunteer.homeHint')} error={error}>
            <select id="homeOrgUnitId" value={form.homeOrgUnitId} onChange={(e) => setForm((old) => ({ ...old, homeOrgUnitId: e.target.value }))}>
              {homes.map(({ unit, depth }) => <option key={unit.orgUnitId} value={unit.orgUnitId}>{`${'　'.repeat(depth)}${unit.name}`}</option>)}
            </select>
          </Field>
        )}
        <FormActions busy={busy} error={error} label={t('volunteer.editSubmit')} onCancel={onClose} fields={['displayName', 'partyMember', 'senior', 'occupation', 'homeOrgUnitId']} />
      </form>
    </Modal>
  );
}
