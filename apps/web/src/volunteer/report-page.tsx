import { useState } from 'react';
import { api, command, read, seenPosition } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { navigate } from '../router';
import { useAccount } from '../session/session';
import { useSubmit } from '../ui/use-submit';
import { Field, FormActions } from '../ui/form';
import { shanghaiToday } from '../ui/format';
import { ErrorNotice, Loading } from '../ui/states';
import { useApi } from '../ui/use-api';

/** What volunteers report most: errands and escorts (红引擎), rides for elderly residents, then the rest. */
const REPORT_CATEGORIES = ['errand-escort', 'elder-rides', 'digital-inclusion', 'garbage-sorting', 'safety-patrol', 'public-opinion', 'environment', 'anti-fraud', 'legal-aid', 'skills-training', 'other'] as const;

/** A volunteer reports an errand they ran; it waits for their community's staff to approve it. */
export function ReportPage() {
  const { t } = useI18n();
  const account = useAccount();
  const id = account.volunteerId!;
  const me = useApi(() => read(api.GET('/api/v1/volunteers/{id}/hours', { params: { path: { id }, query: { minPosition: seenPosition() } } })), [id]);
  const [form, setForm] = useState({ category: 'errand-escort', serviceDate: shanghaiToday(), hours: '', minutes: '', description: '', location: '' });
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const total = (Number(form.hours) || 0) * 60 + (Number(form.minutes) || 0);

  const { busy, error, submit } = useSubmit(async () => {
    if (!me.data) return false;
    await command((headers) => api.POST('/api/v1/volunteers/{id}/service-reports', {
      headers, params: { path: { id } },
      body: {
        orgUnitId: me.data!.homeOrgUnitId, category: form.category as never, serviceDate: form.serviceDate, minutes: total,
        description: form.description, location: form.location || undefined,
      },
    }));
    navigate('/me?reported=1', { replace: true });
  });

  if (me.error) return <ErrorNotice error={me.error} onRetry={me.reload} />;
  if (!me.data) return <Loading />;
  return (
    <div className="narrow">
      <h1>{t('report.title')}</h1>
      <p className="muted">{t('report.explain', { unit: me.data.homeOrgUnitName ?? me.data.homeOrgUnitId })}</p>
      <form className="form card" onSubmit={submit}>
        <Field id="category" label={t('report.category')} error={error}>
          <select id="category" value={form.category} onChange={set('category')}>
            {REPORT_CATEGORIES.map((c) => <option key={c} value={c}>{t(`category.${c}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field id="serviceDate" label={t('report.date')} error={error}>
          <input id="serviceDate" type="date" required max={shanghaiToday()} value={form.serviceDate} onChange={set('serviceDate')} />
        </Field>
        <fieldset className="field-row duration">
          <legend>{t('report.duration')}</legend>
          <Field id="hours" label={t('report.hours')}>
            <input id="hours" type="number" min={0} max={24} inputMode="numeric" value={form.hours} onChange={set('hours')} />
          </Field>
          <Field id="minutes" label={t('report.minutes')} error={error}>
            <input id="minutes" type="number" min={0} max={59} inputMode="numeric" value={form.minutes} onChange={set('minutes')} />
          </Field>
        </fieldset>
        <p className="hint">{t('report.durationHint')}</p>
        <Field id="description" label={t('report.description')} error={error}>
          <textarea id="description" required rows={3} maxLength={2000} value={form.description} onChange={set('description')} placeholder={t('report.descriptionExample')} />
        </Field>
        <Field id="location" label={t('report.location')} error={error}>
          <input id="location" maxLength={200} value={form.location} onChange={set('location')} />
        </Field>
        <FormActions busy={busy} error={error} label={t('report.submit')} disabled={total < 1} cancelTo="/me" block />
      </form>
    </div>
  );
}
