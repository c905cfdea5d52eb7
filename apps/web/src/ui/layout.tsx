import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { Link, navigate, useLocation } from '../router';
import { type Account, useSession } from '../session/session';
import { dismiss, flush, useOutbox } from '../api/outbox';
import { Notice } from './states';

/** Each role's pages; `also`: pages reached from that one (its menu entry stays marked there). */
const NAV: Record<Account['role'], { to: string; label: MessageKey; also?: string }[]> = {
  staff: [
    { to: '/staff/activities', label: 'nav.activities' },
    { to: '/staff/volunteers', label: 'nav.volunteers', also: '/teams' },
    { to: '/staff/records', label: 'nav.records' },
    { to: '/staff/import', label: 'nav.import' },
    { to: '/staff/certificates', label: 'nav.certificates' },
    { to: '/staff/accounts', label: 'nav.accounts' },
    { to: '/dashboard', label: 'nav.dashboard' },
    { to: '/changes', label: 'nav.changes' },
    // Rarely needed by a community's staff (a street's staff register its communities there): last.
    { to: '/units', label: 'nav.units' },
  ],
  volunteer: [
    { to: '/me', label: 'nav.me' },
    { to: '/me/report', label: 'nav.report' },
  ],
  official: [
    { to: '/dashboard', label: 'nav.dashboard' },
    { to: '/teams', label: 'nav.teams' },
    { to: '/changes', label: 'nav.changes' },
  ],
  admin: [
    { to: '/dashboard', label: 'nav.dashboard' },
    { to: '/units', label: 'nav.units' },
    { to: '/accounts', label: 'nav.accounts' },
    { to: '/changes', label: 'nav.changes' },
  ],
};

export function Logo() {
  // A five-petal crabapple flower (海棠).
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
      {[0, 72, 144, 216, 288].map((angle) => (
        <ellipse key={angle} cx="16" cy="8.5" rx="5.2" ry="7" transform={`rotate(${angle} 16 16)`} fill="var(--color-primary)" opacity="0.9" />
      ))}
      <circle cx="16" cy="16" r="3.2" fill="#f4c542" />
    </svg>
  );
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="button button-ghost lang-switch" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      aria-label={t('lang.switchLabel')} lang={lang === 'zh' ? 'en' : 'zh-CN'}>
      {lang === 'zh' ? 'English' : '中文'}
    </button>
  );
}

/** The frame of every signed-in page: who is signed in, the pages of their role, the language. */
export function Layout({ account, children }: { account: Account; children: ReactNode }) {
  const { t } = useI18n();
  const { signOut } = useSession();
  const { path } = useLocation();
  const items = NAV[account.role];
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="app-header">
        <div className="header-row">
          <Link to="/" className="brand"><Logo /><span>{t('app.name')}</span></Link>
          <div className="header-tools">
            <span className="who" title={account.username}>{account.displayName} · {t(`role.${account.role}`)}</span>
            <LanguageSwitch />
            <button type="button" className="button button-ghost" onClick={() => {
              signOut();
              navigate('/sign-in', { replace: true });
            }}>{t('action.signOut')}</button>
          </div>
        </div>
        <nav aria-label={t('nav.label')} className="app-nav">
          {items.map((item) => {
            const within = (to: string) => path === to || (to !== '/me' && path.startsWith(`${to}/`));
            const active = within(item.to) || (item.also !== undefined && within(item.also));
            return <Link key={item.to} to={item.to} aria-current={active ? 'page' : undefined} className="nav-link">{t(item.label)}</Link>;
          })}
        </nav>
      </header>
      <main id="main" className="app-main" tabIndex={-1}><OutboxNotice />{children}</main>
    </>
  );
}

/** What is kept on this device to send when the network is back (api/outbox.ts), and what the ledger refused of it. */
function OutboxNotice() {
  const { t, api } = useI18n();
  const mine = useOutbox();
  if (mine.length === 0) return null;
  const waiting = mine.filter((e) => !e.refused);
  return (
    <div className="outbox" aria-live="polite">
      {waiting.length > 0 && (
        <Notice kind="warning" title={t('outbox.waiting', { n: waiting.length })}>
          <ul>{waiting.map((e) => <li key={e.key}>{e.label}</li>)}</ul>
          <button type="button" className="button button-small button-secondary" onClick={() => void flush()}>{t('outbox.sendNow')}</button>
        </Notice>
      )}
      {mine.filter((e) => e.refused).map((e) => (
        <Notice key={e.key} kind="warning" title={t('outbox.refused', { label: e.label, why: api(e.refused!) })}>
          <button type="button" className="button button-small button-secondary" onClick={() => dismiss(e.key)}>{t('outbox.dismiss')}</button>
        </Notice>
      ))}
    </div>
  );
}

/** The frame of the public pages (a certificate's verification): the name and the language, nobody signed in needed. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="app-header no-print">
        <div className="header-row">
          <Link to="/" className="brand"><Logo /><span>{t('app.name')}</span></Link>
          <div className="header-tools"><LanguageSwitch /></div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>{children}</main>
    </>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}
