export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The format an Accept header asks for: the supported media type with the
 * highest q (ties: the first listed). Wildcards and anything unsupported
 * mean JSON, so a client that asks for nothing in particular gets JSON.
 */
export function negotiateReportFormat(accept: string | undefined): ReportFormat {
  if (!accept) return 'json';
  let best: { format: ReportFormat; q: number } = { format: 'json', q: -1 };
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const format = (Object.keys(MEDIA_TYPES) as ReportFormat[]).find((f) => MEDIA_TYPES[f] === type)
      ?? (type === '*/*' || type === 'application/*' ? 'json' : undefined);
    if (format !== undefined && q > best.q) best = { format, q };
  }
  return best.format;
}
