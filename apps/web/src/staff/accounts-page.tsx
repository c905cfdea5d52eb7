import { useState } from 'react';
import { api, read, seenPosition, type Schema } from '../api/client';
import type { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { useAccount } from '../session/session';
import { Badge } from '../ui/badges';
import { useSubmit } from '../ui/use-submit';
import { Field, FormActions } from '../ui/form';
import { day, shanghaiToday } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Modal } from '../ui/modal';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';

type Listed = Schema<'ListedAccount'>;

/**
 * The sign-in accounts of the unit and of its volunteers: open one for a
 * volunteer (for QR check-in and self-reports), give someone a new password,
 * and disable the account of someone who left (their phone is signed out at
 * once). An administrator, who belongs to no unit, sees every account here and
 * opens accounts from the units page. Account changes are not ledger events:
 * no Idempotency-Key.
 */
export function AccountsPage() {
  const { t, lang } = useI18n();
  const me = useAccount();
  const unit = me.orgUnitId ?? undefined;
  const accounts = useApi(() => read(api.GET('/api/v1/accounts', { params: { query: unit ? { orgUnitId: unit } : {} } })), [unit]);
  // An administrator's list holds every unit's accounts: each is shown with its unit's name.
  const units = useApi(() => (unit ? Promise.resolve(null) : read(api.GET('/api/v1/org-units', { params: { query: {} } }))), [unit]);
  const unitName = new Map(units.data?.orgUnits.map((u) => [u.orgUnitId, u.name]) ?? []);
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [disabling, setDisabling] = useState<Listed | null>(null);
  const [creating, setCreating] = useState<'volunteer' | 'colleague' | null>(null);

  async function act(account: Listed, action: 'password-reset' | 'disabling' | 'enabling') {
    setBusy(account.username);
    setError(null);
    setDone(null);
    setSecret(null);
    try {
      const path = { params: { path: { username: account.username } } };
      if (action === 'password-reset') {
        setSecret(await read(api.POST('/api/v1/accounts/{username}/password-reset', path)));
      } else if (action === 'disabling') {
        await read(api.POST('/api/v1/accounts/{username}/disabling', path));
        setDone(t('accounts.disabled', { name: account.displayName }));
      } else {
        await read(api.POST('/api/v1/accounts/{username}/enabling', path));
        setDone(t('accounts.enabled', { name: account.displayName }));
      }
      accounts.reload();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(null);
      setDisabling(null);
    }
  }

  return (
    <div className="narrow">
      <PageTitle actions={unit && (
        <div className="button-row">
          <button type="button" className="button button-primary" onClick={() => setCreating('volunteer')}>{t('accounts.create')}</button>
          <button type="button" className="button button-secondary" onClick={() => setCreating('colleague')}>{t('accounts.createColleague')}</button>
        </div>
      )}>
        {t('nav.accounts')}
      </PageTitle>
      <p className="muted">{t(unit ? 'accounts.explain' : 'accounts.explainAdmin')}</p>
      {secret && <NewPassword secret={secret} />}
      {done && <Notice kind="success" title={done} />}
      {error && <ErrorNotice error={error} />}
      {accounts.error ? <ErrorNotice error={accounts.error} onRetry={accounts.reload} />
        : !accounts.data ? <Loading />
          : accounts.data.accounts.length === 0 ? <Empty title={t('accounts.none')} />
            : (
              <ul className="cards">
                {accounts.data.accounts.map((a) => (
                  <li key={a.username} className="card record-card">
                    <div className="card-main">
                      <p className="card-title">{a.displayName}</p>
                      <p className="muted">
                        {a.username} · {t(`role.${a.role}`)}{!unit && a.orgUnitId && unitName.has(a.orgUnitId) ? ` · ${unitName.get(a.orgUnitId)}` : ''}
                        {a.id === me.id ? ` · ${t('accounts.you')}` : ''}
                      </p>
                      {a.disabledAt && <p className="muted">{t('accounts.disabledSince', { date: day(shanghaiToday(new Date(a.disabledAt)), lang) })}</p>}
                    </div>
                    <div className="card-side">
                      {a.disabledAt ? <Badge tone="danger">{t('accounts.statusDisabled')}</Badge> : <Badge tone="success">{t('accounts.statusActive')}</Badge>}
                      {a.id !== me.id && (
                        <div className="button-row">
                          <button type="button" className="button button-secondary" disabled={busy !== null} onClick={() => void act(a, 'password-reset')}
                            aria-label={t('accounts.resetFor', { name: a.displayName })}>{t('accounts.reset')}</button>
                          {a.disabledAt
                            ? <button type="button" className="button button-secondary" disabled={busy !== null} onClick={() => void act(a, 'enabling')}
                              aria-label={t('accounts.enableFor', { name: a.displayName })}>{t('accounts.enable')}</button>
                            : <button type="button" className="button button-danger" disabled={busy !== null} onClick={() => setDisabling(a)}
                              aria-label={t('accounts.disableFor', { name: a.displayName })}>{t('accounts.disable')}</button>}
                        </div>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            )}
      {disabling && (
        <Modal title={t('accounts.disableTitle', { name: disabling.displayName })} onClose={() => setDisabling(null)}>
          <p>{t('accounts.disableExplain')}</p>
          <div className="form-actions">
            <button type="button" className="button button-danger" disabled={busy !== null} onClick={() => void act(disabling, 'disabling')}>{t('accounts.disableConfirm')}</button>
            <button type="button" className="button button-secondary" onClick={() => setDisabling(null)}>{t('action.cancel')}</button>
          </div>
        </Modal>
      )}
      {creating && unit && (() => {
        const onCreated = (made: { username: string; password: string }) => {
          setCreating(null);
          setDone(null);
          setSecret(made);
          accounts.reload();
        };
        return creating === 'volunteer'
          ? <CreateVolunteerAccount unit={unit} onClose={() => setCreating(null)} onCreated={onCreated} />
          : <CreateColleagueAccount unit={unit} onClose={() => setCreating(null)} onCreated={onCreated} />;
      })()}
    </div>
  );
}

/** Opens an account for a volunteer of the unit: pick the volunteer, choose a username; the password is made and shown once. */
function CreateVolunteerAccount({ unit, onClose, onCreated }: { unit: string; onClose: () => void; onCreated: (made: { username: string; password: string }) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [volunteer, setVolunteer] = useState<{ id: string; name: string } | null>(null);
  const [username, setUsername] = useState('');
  const found = useApi(() => read(api.GET('/api/v1/org-units/{id}/volunteers', {
    params: { path: { id: unit }, query: { q: q.trim() || undefined, limit: 8, minPosition: seenPosition() } },
  })), [unit, q]);

  const { busy, error, submit } = useSubmit(async () => {
    if (!volunteer) return false;
    const made = await read(api.POST('/api/v1/accounts', { body: { username: username.trim().toLowerCase(), role: 'volunteer', volunteerId: volunteer.id, displayName: volunteer.name } }));
    onCreated({ username: made.account.username, password: made.password ?? '' });
  });

  return (
    <Modal title={t('accounts.createTitle')} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        {volunteer ? (
          <p>{t('accounts.forVolunteer', { name: volunteer.name })} <button type="button" className="button button-ghost" onClick={() => setVolunteer(null)}>{t('accounts.change')}</button></p>
        ) : (
          <>
            <Field id="account-volunteer" label={t('accounts.volunteer')}>
              <input id="account-volunteer" type="search" maxLength={50} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('certificate.searchPlaceholder')} />
            </Field>
            {found.data && (
              <ul className="pick-list">
                {found.data.volunteers.map((v) => (
                  <li key={v.volunteerId}>
                    <button type="button" className="button button-secondary" onClick={() => setVolunteer({ id: v.volunteerId, name: v.displayName })}>{v.displayName}</button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        <Field id="username" label={t('accounts.username')} hint={t('accounts.usernameHint')} error={error}>
          <input id="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" autoCapitalize="none" />
        </Field>
        <FormActions busy={busy} error={error} label={t('accounts.createSubmit')} disabled={!volunteer} onCancel={onClose} />
      </form>
    </Modal>
  );
}

/**
 * Opens an account for someone who works for the unit: a member of staff
 * (records and approves) or an official (reads the figures of the unit and
 * everything under it). The password is made and shown once.
 */
export function CreateColleagueAccount({ unit, unitName, onClose, onCreated }: {
  unit: string;
  /** Named in the title when the account is for another unit than the caller's own (the units page). */
  unitName?: string;
  onClose: () => void;
  onCreated: (made: { username: string; password: string }) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<'staff' | 'official'>('staff');
  const [username, setUsername] = useState('');

  const { busy, error, submit } = useSubmit(async () => {
    const made = await read(api.POST('/api/v1/accounts', { body: { username: username.trim().toLowerCase(), role, orgUnitId: unit, displayName: name.trim() } }));
    onCreated({ username: made.account.username, password: made.password ?? '' });
  });

  return (
    <Modal title={unitName ? t('accounts.createFor', { unit: unitName }) : t('accounts.createColleague')} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field id="displayName" label={t('accounts.colleagueName')} error={error}>
          <input id="displayName" required maxLength={50} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <fieldset className="field">
          <legend>{t('accounts.colleagueRole')}</legend>
          {(['staff', 'official'] as const).map((r) => (
            <label key={r} className="choice">
              <input type="radio" name="colleague-role" value={r} checked={role === r} onChange={() => setRole(r)} />
              {' '}{t(`accounts.role.${r}`)}
            </label>
          ))}
        </fieldset>
        <Field id="username" label={t('accounts.username')} hint={t('accounts.usernameHint')} error={error}>
          <input id="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" autoCapitalize="none" />
        </Field>
        <FormActions busy={busy} error={error} label={t('accounts.createSubmit')} onCancel={onClose} fields={['displayName', 'role', 'username']} />
      </form>
    </Modal>
  );
}

/** A password made by the server, shown once, to be handed over in person. */
export function NewPassword({ secret }: { secret: { username: string; password: string } }) {
  const { t } = useI18n();
  return (
    <Notice kind="success" title={t('accounts.passwordTitle', { username: secret.username })}>
      <p className="secret" data-testid="new-password">{secret.password}</p>
      <p>{t('accounts.passwordOnce')}</p>
    </Notice>
  );
}
