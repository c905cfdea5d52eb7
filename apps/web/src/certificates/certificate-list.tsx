import { api, read } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';
import { day, hours, shanghaiToday } from '../ui/format';
import { ErrorNotice, Loading } from '../ui/states';
import { useApi } from '../ui/use-api';
import { certificatePath } from './certificate-page';

/** The certificates issued to a volunteer, newest first, each opening its page (to print it again, or send its link). */
export function CertificateList({ volunteerId }: { volunteerId: string }) {
  const { t, lang } = useI18n();
  const list = useApi(() => read(api.GET('/api/v1/volunteers/{id}/certificates', { params: { path: { id: volunteerId } } })), [volunteerId]);
  if (list.error) return <ErrorNotice error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading />;
  if (list.data.certificates.length === 0) return null;
  return (
    <section aria-labelledby="certificates-heading">
      <h2 id="certificates-heading">{t('certificate.list')}</h2>
      <ul className="cards">
        {list.data.certificates.map((c) => (
          <li key={c.number} className="card record-card">
            <div className="card-main">
              <Link to={certificatePath(c.number, c.verificationCode)} className="card-title">{c.number}</Link>
              <p className="muted">{t('certificate.listPeriod', { from: day(c.from, lang), to: day(c.to, lang), issued: day(shanghaiToday(new Date(c.issuedAt)), lang) })}</p>
            </div>
            <div className="card-side"><span className="figure">{t('unit.hours', { h: hours(c.approvedMinutes) })}</span></div>
          </li>
        ))}
      </ul>
    </section>
  );
}
