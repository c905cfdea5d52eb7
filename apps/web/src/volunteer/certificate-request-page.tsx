import { useState } from 'react';
import { api, command } from '../api/client';
import { certificatePath } from '../certificates/certificate-page';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';
import { useAccount } from '../session/session';
import { useSubmit } from '../ui/use-submit';
import { Field, FormActions } from '../ui/form';
import { shanghaiToday } from '../ui/format';

/**
 * Asks for a certificate of one's approved service over a period (this year
 * so far, unless changed), then shows it, ready to print or share. Used by a
 * volunteer for themselves and by staff for a volunteer of their community.
 */
export function CertificateRequestForm({ volunteerId, cancelTo }: { volunteerId: string; cancelTo: string }) {
  const { t } = useI18n();
  const today = shanghaiToday();
  const [period, setPeriod] = useState({ from: `${today.slice(0, 4)}-01-01`, to: today });

  const { busy, error, submit } = useSubmit(async () => {
    const issued = await command((headers) => api.POST('/api/v1/volunteers/{id}/certificates', { headers, params: { path: { id: volunteerId } }, body: period }));
    navigate(certificatePath(issued.number, issued.verificationCode));
  });

  return (
    <form className="form card" onSubmit={submit}>
      <div className="field-row">
        <Field id="from" label={t('certificate.from')} error={error}>
          <input id="from" type="date" required max={period.to} value={period.from} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} />
        </Field>
        <Field id="to" label={t('certificate.to')} error={error}>
          <input id="to" type="date" required max={today} value={period.to} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} />
        </Field>
      </div>
      <p className="hint">{t('certificate.requestHint')}</p>
      <FormActions busy={busy} error={error} label={t('certificate.request')} cancelTo={cancelTo} block />
    </form>
  );
}

/** A volunteer's own request: /me/certificate. */
export function CertificateRequestPage() {
  const { t } = useI18n();
  const volunteerId = useAccount().volunteerId!;
  return (
    <div className="narrow">
      <h1>{t('certificate.requestTitle')}</h1>
      <p className="muted">{t('certificate.requestExplain')}</p>
      <CertificateRequestForm volunteerId={volunteerId} cancelTo="/me" />
    </div>
  );
}
