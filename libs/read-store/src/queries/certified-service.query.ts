import type { ReadModels } from '../read-models.port';

/** A volunteer's approved service over a period, as a certificate states it. */
export interface ServiceInPeriod {
  /** Approved minutes with a service date from `from` to `to` (both included). */
  approvedMinutes: number;
  byCategory: Record<string, number>;
  /** How many approved records they come from. */
  records: number;
}

/** The volunteer as a certificate names them: the display name and home unit (never personal data). */
export interface CertificateHolder {
  displayName: string;
  homeOrgUnitName: string | null;
}

/**
 * A volunteer's approved service with a service date in [from, to]: the figures
 * a certificate states when it is issued, and what verifying it recomputes.
 * Null when the volunteer is unknown. One index range of
 * service_records_by_volunteer (volunteer, status, date), summed here.
 */
export async function serviceInPeriod(db: ReadModels, volunteerId: string, from: string, to: string): Promise<(ServiceInPeriod & CertificateHolder) | null> {
  const rows = await db.all<{ display_name: string; home_name: string | null; category: string | null; minutes: number | null }>(
    `SELECT v.display_name, u.name AS home_name, r.category, r.minutes
      FROM volunteer_keys k JOIN volunteers v ON v.volunteer_n = k.volunteer_n
      LEFT JOIN org_units u ON u.unit_n = v.home_unit_n
      LEFT JOIN service_records r ON r.volunteer_n = k.volunteer_n AND r.status = 'approved' AND r.service_date >= ? AND r.service_date <= ?
      WHERE k.volunteer_id = ?`, [from, to, volunteerId]);
  if (rows.length === 0) return null;
  let approvedMinutes = 0;
  let records = 0;
  const byCategory: Record<string, number> = {};
  for (const r of rows) {
    if (r.minutes === null) continue;
    approvedMinutes += r.minutes;
    records += 1;
    byCategory[r.category!] = (byCategory[r.category!] ?? 0) + r.minutes;
  }
  return { displayName: rows[0].display_name, homeOrgUnitName: rows[0].home_name, approvedMinutes, byCategory, records };
}
