import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function Badge({ tone, children }: { tone: Tone; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

const RECORD_TONES: Record<string, Tone> = { pending: 'warning', approved: 'success', rejected: 'danger', revoked: 'neutral' };

export function RecordStatus({ status }: { status: string }) {
  const { t } = useI18n();
  return <Badge tone={RECORD_TONES[status] ?? 'neutral'}>{t(`record.${status}` as MessageKey)}</Badge>;
}

/** A category's name in the reader's language. */
export function useCategoryName(): (code: string) => string {
  const { t } = useI18n();
  return (code) => t(`category.${code}` as MessageKey);
}
