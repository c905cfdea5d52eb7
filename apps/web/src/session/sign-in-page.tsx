import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { navigate, useLocation } from '../router';
import { ErrorNotice, Notice } from '../ui/states';
import { LanguageSwitch, Logo } from '../ui/layout';
import { homeOf, useSession } from './session';

/** Only paths of this console are followed after sign-in (never another site). */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : null);

export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const { query } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const next = safeNext(query.get('next'));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(username.trim(), password);
      navigate(next ?? homeOf(session.account), { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'client', 'Error', String(caught)));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-head">
          <Logo />
          <div>
            <h1>{t('app.name')}</h1>
            <p className="muted">{t('signIn.tagline')}</p>
          </div>
        </div>
        {query.get('expired') && <Notice kind="info" title={t('signIn.expired')} />}
        {query.get('disabled') && <Notice kind="warning" title={t('signIn.disabled')} />}
        {query.get('signedOut') && <Notice kind="info" title={t('signIn.signedOut')} />}
        {next?.startsWith('/check-in/') && <Notice kind="info" title={t('signIn.forCheckIn')} />}
        <form onSubmit={submit} className="form">
          <div className="field">
            <label htmlFor="username">{t('signIn.username')}</label>
            <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="password">{t('signIn.password')}</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          {error && <ErrorNotice error={error.status === 401 ? new ApiError(401, error.code, error.title, error.detail || t('signIn.wrong')) : error} />}
          <button type="submit" className="button button-primary button-block" disabled={busy}>{busy ? t('signIn.busy') : t('action.signIn')}</button>
        </form>
        <div className="sign-in-foot"><LanguageSwitch /></div>
      </div>
    </main>
  );
}
