import { useState } from 'react';
import { api, read, seenPosition } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useAccount } from '../session/session';
import { day, hours, shanghaiToday } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Empty, ErrorNotice, Loading } from '../ui/states';
import { useApi } from '../ui/use-api';
import { CertificateList } from '../certificates/certificate-list';
import { certificatePath } from '../certificates/certificate-page';
import { Link } from '../router';
import { CertificateRequestForm } from '../volunteer/certificate-request-page';

/**
 * Staff issue a certificate for a volunteer of their community (many older
 * volunteers have no account of their own): find the volunteer by name, pick
 * the period, and print what the ledger certifies.
 */
export function CertificatesPage() {
  const { t } = useI18n();
  const account = useAccount();
  const unit = account.orgUnitId!;
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  const found = useApi(() => read(api.GET('/api/v1/org-units/{id}/volunteers', {
    params: { path: { id: unit }, query: { q: q.trim() || undefined, limit: 20, minPosition: seenPosition() } },
  })), [unit, q]);

  if (chosen) {
    return (
      <div className="narrow">
        <PageTitle>{t('certificate.forWho', { name: chosen.name })}</PageTitle>
        <p className="muted">{t('certificate.requestExplain')}</p>
        <CertificateRequestForm volunteerId={chosen.id} cancelTo="/staff/certificates" />
        <button type="button" className="button button-ghost" onClick={() => setChosen(null)}>{t('certificate.otherVolunteer')}</button>
        <CertificateList volunteerId={chosen.id} />
      </div>
    );
  }
  return (
    <div className="narrow">
      <PageTitle>{t('nav.certificates')}</PageTitle>
      <p className="muted">{t('certificate.staffExplain')}</p>
      <div className="field">
        <label htmlFor="volunteer-search">{t('certificate.search')}</label>
        <input id="volunteer-search" type="search" maxLength={50} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('certificate.searchPlaceholder')} />
      </div>
      {found.error ? <ErrorNotice error={found.error} onRetry={found.reload} />
        : !found.data ? <Loading />
          : found.data.volunteers.length === 0 ? <Empty title={t('certificate.noneFound')} />
            : (
              <ul className="cards">
                {found.data.volunteers.map((v) => (
                  <li key={v.volunteerId} className="card record-card">
                    <div className="card-main">
                      <p className="card-title">{v.displayName}</p>
                      <p className="muted">{t('unit.hours', { h: hours(v.approvedMinutes) })}</p>
                    </div>
                    <div className="card-side">
                      <button type="button" className="button button-secondary" onClick={() => setChosen({ id: v.volunteerId, name: v.displayName })}
                        aria-label={t('certificate.issueFor', { name: v.displayName })}>{t('certificate.issue')}</button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
      <IssuedInUnit unit={unit} />
    </div>
  );
}

/** What the page needs of a CertificateIssued event (libs/domain certificate.ts). */
interface Issued { number: string; verificationCode: string; volunteerId: string; displayName?: string; from: string; to: string; approvedMinutes: number }

/**
 * The latest certificates of the unit's volunteers, newest first (the audit
 * trail's CertificateIssued events of the volunteers who belong to the unit
 * now, whoever issued them): who got one, for which period and how many
 * hours, who issued it; each opens its page to print or send again.
 */
function IssuedInUnit({ unit }: { unit: string }) {
  const { t, lang } = useI18n();
  const issued = useApi(() => read(api.GET('/api/v1/audit', {
    params: { query: { orgUnitId: unit, type: 'CertificateIssued.v1', order: 'desc', limit: 20, minPosition: seenPosition() } },
  })), [unit]);
  if (issued.error) return <ErrorNotice error={issued.error} onRetry={issued.reload} />;
  if (!issued.data) return <Loading />;
  if (issued.data.entries.length === 0) return null;
  const { entries, names } = issued.data;
  return (
    <section aria-labelledby="issued-heading">
      <h2 id="issued-heading">{t('certificate.issuedInUnit')}</h2>
      <ul className="cards">
        {entries.map((entry) => {
          const c = entry.data as unknown as Issued;
          const by = entry.actor?.displayName ?? entry.actor?.username;
          return (
            <li key={entry.position} className="card record-card">
              <div className="card-main">
                <Link to={certificatePath(c.number, c.verificationCode)} className="card-title">{names[c.volunteerId] ?? c.displayName ?? c.volunteerId}</Link>
                <p className="muted">{c.number} · {t('certificate.listPeriod', { from: day(c.from, lang), to: day(c.to, lang), issued: day(shanghaiToday(new Date(entry.recordedAt)), lang) })}</p>
                {by && <p className="muted">{t('certificate.issuedBy', { name: by })}</p>}
              </div>
              <div className="card-side"><span className="figure">{t('unit.hours', { h: hours(c.approvedMinutes) })}</span></div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
