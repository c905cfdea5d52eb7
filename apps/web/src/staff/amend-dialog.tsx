import { useState } from 'react';
import { api, command } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useSubmit } from '../ui/use-submit';
import { Field, FormActions } from '../ui/form';
import { hours } from '../ui/format';
import { Modal } from '../ui/modal';

export interface AmendTarget {
  recordId: string;
  minutes: number;
  who: string;
}

/** Corrects the minutes of a record; the reason is required and kept in its history (nothing is overwritten). */
export function AmendDialog({ target, onClose, onDone }: { target: AmendTarget; onClose: () => void; onDone: (position: number) => void }) {
  const { t } = useI18n();
  const [minutes, setMinutes] = useState(String(target.minutes));
  const [reason, setReason] = useState('');

  const { busy, error, submit } = useSubmit(async () => {
    const done = await command((headers) => api.POST('/api/v1/service-records/{id}/amendments', {
      headers, params: { path: { id: target.recordId } }, body: { minutes: Number(minutes), reason },
    }));
    onDone(done.position);
  });

  return (
    <Modal title={t('amend.title', { who: target.who })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p className="muted">{t('amend.current', { m: target.minutes, h: hours(target.minutes) })}</p>
        <Field id="minutes" label={t('amend.minutes')} hint={minutes && Number(minutes) > 0 ? t('amend.equals', { h: hours(Number(minutes)) }) : undefined} error={error}>
          <input id="minutes" type="number" min={1} max={1440} required inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </Field>
        <Field id="reason" label={t('amend.reason')} error={error}>
          <textarea id="reason" required maxLength={500} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('amend.reasonExample')} />
        </Field>
        <FormActions busy={busy} error={error} label={t('amend.submit')} onCancel={onClose} />
      </form>
    </Modal>
  );
}
