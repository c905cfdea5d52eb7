import QRCode from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { api, read, type Schema } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';
import { useCategoryName } from '../ui/badges';
import { Field } from '../ui/form';
import { day, hours, shanghaiToday } from '../ui/format';
import { ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';

/** Where a certificate is verified: this page, with its number and code (also the QR code printed on it). */
export const certificatePath = (number: string, code: string) => `/certificates/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`;

/**
 * A certificate of volunteer service (志愿服务证明), public: anyone with its
 * number and verification code sees it, checked against the ledger as it is
 * now. Printed from the browser (the page's frame and buttons are left out
 * of the print), with a QR code that opens this page again.
 */
export function CertificatePage({ number, code }: { number?: string; code?: string }) {
  if (!number || !code) return <VerifyForm number={number} />;
  // Typed from paper in lower case, it is the same code.
  return <Certificate key={`${number}/${code}`} number={number} code={code.toUpperCase()} />;
}

function VerifyForm({ number: given, embedded = false }: { number?: string; embedded?: boolean }) {
  const { t } = useI18n();
  const [number, setNumber] = useState(given ?? '');
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(certificatePath(number.trim(), code.trim().toUpperCase()));
  };
  const form = (
    <>
      <h1>{t('certificate.verifyTitle')}</h1>
      <p className="muted">{t('certificate.verifyExplain')}</p>
      <form className="form card" onSubmit={submit}>
        <Field id="number" label={t('certificate.number')} hint={t('certificate.numberHint')}>
          <input id="number" required value={number} onChange={(e) => setNumber(e.target.value)} placeholder="2026-000042" autoComplete="off" />
        </Field>
        <Field id="code" label={t('certificate.code')} hint={t('certificate.codeHint')}>
          <input id="code" required value={code} onChange={(e) => setCode(e.target.value)} placeholder="K7Q2M9XD" autoComplete="off" autoCapitalize="characters" />
        </Field>
        <button type="submit" className="button button-primary button-block">{t('certificate.verify')}</button>
      </form>
    </>
  );
  return embedded ? form : <div className="narrow">{form}</div>;
}

function Certificate({ number, code }: { number: string; code: string }) {
  const { t } = useI18n();
  const answer = useApi(() => read(api.GET('/api/v1/certificates/{number}', { params: { path: { number }, query: { code } } })), [number, code]);
  if (answer.error) {
    return (
      <div className="narrow">
        {answer.error.status === 404 || answer.error.status === 400
          ? <Notice kind="warning" title={t('certificate.notFound')}><p>{t('certificate.notFoundDetail')}</p></Notice>
          : answer.error.status === 429
            ? <Notice kind="warning" title={t('certificate.tooMany')} />
            : <ErrorNotice error={answer.error} onRetry={answer.reload} />}
        <VerifyForm number={number} embedded />
      </div>
    );
  }
  if (!answer.data) return <Loading />;
  return <CertificateSheet certificate={answer.data} code={code} />;
}

function CertificateSheet({ certificate: c, code }: { certificate: Schema<'CertificateVerificationAnswer'>; code: string }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const [qr, setQr] = useState<string | null>(null);
  const url = `${window.location.origin}${certificatePath(c.number, code)}`;
  useEffect(() => {
    void QRCode.toDataURL(url, { width: 240, margin: 1, errorCorrectionLevel: 'M' }).then(setQr);
  }, [url]);
  const categories = Object.entries(c.certified.byCategory).sort(([, a], [, b]) => b - a);
  return (
    <div className="certificate-page">
      <div className="no-print">
        {c.matchesLedger
          ? <Notice kind="success" title={t('certificate.matches')}><p>{t('certificate.matchesDetail', { today: day(shanghaiToday(), lang) })}</p></Notice>
          : (
            <Notice kind="warning" title={t('certificate.changed')}>
              <p>{t('certificate.changedDetail', { certified: hours(c.certified.approvedMinutes), now: hours(c.ledgerNow.approvedMinutes) })}</p>
            </Notice>
          )}
      </div>
      <article className="certificate card" aria-labelledby="certificate-title" data-testid="certificate">
        <h1 id="certificate-title">{t('certificate.title')}</h1>
        <p className="certificate-body">
          {t('certificate.statement', {
            name: c.volunteer.displayName,
            unit: c.volunteer.homeOrgUnitName ? (lang === 'zh' ? `（${c.volunteer.homeOrgUnitName}）` : ` (${c.volunteer.homeOrgUnitName})`) : '',
            from: day(c.from, lang),
            to: day(c.to, lang),
            h: hours(c.certified.approvedMinutes),
            n: c.certified.records,
          })}
        </p>
        <table className="certificate-table">
          <caption>{t('certificate.byCategory')}</caption>
          <tbody>
            {categories.map(([category, minutes]) => (
              <tr key={category}><th scope="row">{categoryName(category)}</th><td>{t('unit.hours', { h: hours(minutes) })}</td></tr>
            ))}
          </tbody>
        </table>
        <div className="certificate-foot">
          <dl>
            <div><dt>{t('certificate.number')}</dt><dd data-testid="certificate-number">{c.number}</dd></div>
            <div><dt>{t('certificate.code')}</dt><dd>{code}</dd></div>
            <div><dt>{t('certificate.issued')}</dt><dd>{day(shanghaiToday(new Date(c.issuedAt)), lang)}</dd></div>
          </dl>
          {qr && <img src={qr} width={120} height={120} alt={t('certificate.qrAlt')} className="certificate-qr" />}
        </div>
        <p className="certificate-issuer">{t('app.name')}</p>
        <p className="muted certificate-how">{t('certificate.howToVerify', { site: `${window.location.origin}/certificates` })}</p>
      </article>
      <div className="no-print form-actions">
        <button type="button" className="button button-primary" onClick={() => window.print()}>{t('certificate.print')}</button>
      </div>
    </div>
  );
}
