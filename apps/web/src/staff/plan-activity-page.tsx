import { useState } from 'react';
import { api, command } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { navigate } from '../router';
import { useAccount } from '../session/session';
import { useSubmit } from '../ui/use-submit';
import { Field, FormActions } from '../ui/form';
import { shanghaiClock, shanghaiInstant, shanghaiToday } from '../ui/format';
import { PageTitle } from '../ui/layout';

export const CATEGORIES = [
  'environment', 'digital-inclusion', 'anti-fraud', 'garbage-sorting', 'errand-escort', 'elder-rides',
  'safety-patrol', 'public-opinion', 'legal-aid', 'skills-training', 'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The next quarter hour in Suzhou, and two hours after it. */
function defaultWindow(): { start: string; end: string } {
  const now = new Date(Math.ceil(Date.now() / (15 * 60_000)) * 15 * 60_000);
  return { start: shanghaiClock(now), end: shanghaiClock(new Date(now.getTime() + 2 * 3600_000)) };
}

export function PlanActivityPage() {
  const { t } = useI18n();
  const account = useAccount();
  const [form, setForm] = useState(() => ({
    title: '', category: 'digital-inclusion' as Category, location: '', date: shanghaiToday(), ...defaultWindow(), capacity: '', personInCharge: account.displayName, description: '',
  }));
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));

  const { busy, error, submit } = useSubmit(async () => {
    if (!account.orgUnitId) return false;
    const created = await command((headers) => api.POST('/api/v1/activities', {
      headers,
      body: {
        orgUnitId: account.orgUnitId!, title: form.title, category: form.category, location: form.location,
        startsAt: shanghaiInstant(form.date, form.start), endsAt: shanghaiInstant(form.date, form.end),
        capacity: form.capacity ? Number(form.capacity) : undefined,
        personInCharge: form.personInCharge || undefined, description: form.description || undefined,
      },
    }));
    navigate(`/staff/activities/${encodeURIComponent(created.id)}`, { replace: true });
  });

  return (
    <>
      <PageTitle>{t('activity.plan')}</PageTitle>
      <form className="form form-wide card" onSubmit={submit}>
        <Field id="title" label={t('activity.title')} error={error}>
          <input id="title" required maxLength={100} value={form.title} onChange={set('title')} placeholder={t('activity.titleExample')} />
        </Field>
        <Field id="category" label={t('activity.category')} error={error}>
          <select id="category" value={form.category} onChange={set('category')}>
            {CATEGORIES.map((c) => <option key={c} value={c}>{t(`category.${c}` as MessageKey)}</option>)}
          </select>
        </Field>
        <Field id="location" label={t('activity.location')} error={error}>
          <input id="location" required maxLength={200} value={form.location} onChange={set('location')} placeholder={t('activity.locationExample')} />
        </Field>
        <div className="field-row">
          <Field id="date" label={t('activity.date')} error={error}>
            <input id="date" type="date" required value={form.date} onChange={set('date')} />
          </Field>
          <Field id="startsAt" label={t('activity.start')} error={error}>
            <input id="startsAt" type="time" required value={form.start} onChange={set('start')} />
          </Field>
          <Field id="endsAt" label={t('activity.end')} error={error}>
            <input id="endsAt" type="time" required value={form.end} onChange={set('end')} />
          </Field>
        </div>
        <div className="field-row">
          <Field id="capacity" label={t('activity.capacity')} hint={t('activity.capacityHint')} error={error}>
            <input id="capacity" type="number" min={1} max={10000} inputMode="numeric" value={form.capacity} onChange={set('capacity')} />
          </Field>
          <Field id="personInCharge" label={t('activity.personInCharge')} error={error}>
            <input id="personInCharge" maxLength={50} value={form.personInCharge} onChange={set('personInCharge')} />
          </Field>
        </div>
        <Field id="description" label={t('activity.description')} error={error}>
          <textarea id="description" rows={3} maxLength={2000} value={form.description} onChange={set('description')} />
        </Field>
        <FormActions busy={busy} error={error} label={t('activity.planSubmit')} cancelTo="/staff/activities" />
      </form>
    </>
  );
}
