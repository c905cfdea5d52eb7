import { lazy, type ReactElement, Suspense, useEffect } from 'react';
import { UnitsPage } from './admin/units-page';
import { ChangesPage } from './official/changes-page';
import { CertificatePage } from './certificates/certificate-page';
import { useI18n } from './i18n/i18n';
import { match, navigate, useLocation } from './router';
import { type Account, homeOf, useSession } from './session/session';
import { SignInPage } from './session/sign-in-page';
import { ActivitiesPage } from './staff/activities-page';
import { AccountsPage } from './staff/accounts-page';
import { ActivityPage } from './staff/activity-page';
import { CertificatesPage } from './staff/certificates-page';
import { ImportPage } from './staff/import-page';
import { PlanActivityPage } from './staff/plan-activity-page';
import { RecordsPage } from './staff/records-page';
import { VolunteerPage } from './staff/volunteer-page';
import { VolunteersPage } from './staff/volunteers-page';
import { TeamPage, TeamsPage } from './teams/teams-page';
import { Layout, PublicLayout } from './ui/layout';
import { Empty, Loading, Notice } from './ui/states';
import { CertificateRequestPage } from './volunteer/certificate-request-page';
import { CheckInPage } from './volunteer/check-in-page';
import { MePage } from './volunteer/me-page';
import { ReportPage } from './volunteer/report-page';

// Charts (Apache ECharts) load only with the dashboard: a volunteer's phone never downloads them.
const DashboardPage = lazy(() => import('./official/dashboard-page').then((m) => ({ default: m.DashboardPage })));

type Page = { roles: Account['role'][] | 'any'; render: (params: Record<string, string>) => ReactElement };

const PAGES: [string, Page][] = [
  ['/staff/activities', { roles: ['staff'], render: () => <ActivitiesPage /> }],
  ['/staff/activities/new', { roles: ['staff'], render: () => <PlanActivityPage /> }],
  ['/staff/activities/:id', { roles: ['staff'], render: (p) => <ActivityPage key={p.id} activityId={p.id} /> }],
  ['/staff/volunteers', { roles: ['staff'], render: () => <VolunteersPage /> }],
  ['/staff/volunteers/:id', { roles: ['staff'], render: (p) => <VolunteerPage key={p.id} volunteerId={p.id} /> }],
  ['/teams', { roles: ['staff', 'official'], render: () => <TeamsPage /> }],
  ['/teams/:id', { roles: ['staff', 'official'], render: (p) => <TeamPage key={p.id} teamId={p.id} /> }],
  ['/staff/records', { roles: ['staff'], render: () => <RecordsPage /> }],
  ['/staff/import', { roles: ['staff'], render: () => <ImportPage /> }],
  ['/staff/certificates', { roles: ['staff'], render: () => <CertificatesPage /> }],
  ['/staff/accounts', { roles: ['staff'], render: () => <AccountsPage /> }],
  ['/units', { roles: ['admin', 'staff'], render: () => <UnitsPage /> }],
  ['/accounts', { roles: ['admin'], render: () => <AccountsPage /> }],
  ['/changes', { roles: ['official', 'admin', 'staff'], render: () => <ChangesPage /> }],
  ['/me', { roles: ['volunteer'], render: () => <MePage /> }],
  ['/me/report', { roles: ['volunteer'], render: () => <ReportPage /> }],
  ['/me/certificate', { roles: ['volunteer'], render: () => <CertificateRequestPage /> }],
  ['/check-in/:id', { roles: 'any', render: (p) => <CheckInPage activityId={p.id} /> }],
  ['/dashboard', { roles: ['official', 'admin', 'staff'], render: () => <DashboardPage /> }],
  ['/dashboard/:unit', { roles: ['official', 'admin', 'staff'], render: (p) => <DashboardPage key={p.unit} unitId={p.unit} /> }],
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { t } = useI18n();
  const { session } = useSession();
  const { path, query } = useLocation();

  // Certificates are verified by anyone (an employer, a school), signed in or not; who is signed in keeps the console's pages.
  const certificate = match('/certificates', path) ?? match('/certificates/:number', path);
  if (certificate) {
    const page = <CertificatePage number={certificate.number} code={query.get('code') ?? undefined} />;
    return session ? <Layout account={session.account}>{page}</Layout> : <PublicLayout>{page}</PublicLayout>;
  }
  if (path === '/sign-in') return session ? <Redirect to={homeOf(session.account)} /> : <SignInPage />;
  if (!session) return <Redirect to={`/sign-in?next=${encodeURIComponent(path + (query.size ? `?${query}` : ''))}`} />;
  const account = session.account;
  if (path === '/' || path === '') return <Redirect to={homeOf(account)} />;

  for (const [pattern, page] of PAGES) {
    const params = match(pattern, path);
    if (!params) continue;
    const allowed = page.roles === 'any' || page.roles.includes(account.role);
    return (
      <Layout account={account}>
        {allowed ? <Suspense fallback={<Loading />}>{page.render(params)}</Suspense> : <Notice kind="warning" title={t('error.forbidden')}><p>{t('error.notForRole')}</p></Notice>}
      </Layout>
    );
  }
  return <Layout account={account}><Empty title={t('error.noPage')} /></Layout>;
}
