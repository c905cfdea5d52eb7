import { createHash } from 'node:crypto';
import {
  DomainError, type DomainEvent, orgUnitDecider, orgUnitStream, recordStream, serviceRecordDecider, volunteerDecider, volunteerStream,
} from '@haitang/domain';
import type { Load, Pending } from '../command-pipeline/decision-runner';
import { ID_PATTERN } from '../http/ids';
import type { FieldError } from '../http/problem';
import type { ImportRow } from './import-rows';

/** One import holds at most this many rows: they are appended in one transaction. */
export const MAX_IMPORT_ROWS = 5000;

/**
 * A row's record id is derived from what it says (unit, volunteer, day,
 * category, minutes, content): importing the same sheet twice, or the same
 * row twice, is refused instead of counting the hours again.
 */
export function importRecordId(row: ImportRow): string {
  const key = [row.orgUnitId, row.volunteerId, row.serviceDate, row.category, row.minutes, row.description].join('\u0000');
  return `imp-${createHash('sha256').update(key).digest('base64url').slice(0, 24)}`;
}

/** Which field a domain refusal is about, so the console can point at the cell. */
function fieldOf(code: string): string {
  if (code.startsWith('volunteer')) return 'volunteerId';
  if (code.startsWith('org-unit')) return 'orgUnitId';
  if (code.startsWith('category')) return 'category';
  if (code.startsWith('service-date')) return 'serviceDate';
  if (code.startsWith('minutes')) return 'minutes';
  if (code.startsWith('description')) return 'description';
  if (code.startsWith('location')) return 'location';
  if (code.startsWith('personInCharge')) return 'personInCharge';
  return 'row';
}

export interface CheckedRow extends ImportRow {
  recordId: string | null;
  /** The volunteer's name in the ledger (to compare with the sheet). */
  displayName: string | null;
}

/**
 * Runs every row through the domain exactly as a staff entry would be
 * (RecordService, source `import`), without appending anything: the events
 * each valid row would append, and every row's mistakes.
 */
export async function checkImportRows(load: Load, rows: readonly ImportRow[], now: Date, mayRecordFor: (orgUnitId: string) => Promise<boolean>):
Promise<{ rows: CheckedRow[]; appends: Pending[] }> {
  const seen = new Map<string, number>();
  const appends: Pending[] = [];
  const checked: CheckedRow[] = [];
  for (const row of rows) {
    const errors: FieldError[] = [...row.errors];
    const fail = (field: string, message: string) => errors.push({ field, message });
    let recordId: string | null = null;
    let displayName: string | null = null;
    if (row.volunteerId && !ID_PATTERN.test(row.volunteerId)) fail('volunteerId', `志愿者编号“${row.volunteerId.slice(0, 40)}”格式不正确。(Not a volunteer id.)`);
    if (row.orgUnitId && !ID_PATTERN.test(row.orgUnitId)) fail('orgUnitId', '组织单位编号格式不正确。(Not an org unit id.)');
    else if (row.orgUnitId && !(await mayRecordFor(row.orgUnitId))) fail('orgUnitId', '不能为本单位以外的组织导入记录。(You may not import records for this unit.)');
    if (errors.length === 0) {
      recordId = importRecordId(row);
      const first = seen.get(recordId);
      const volunteer = (await load(volunteerDecider, volunteerStream(row.volunteerId!))).state;
      displayName = volunteer.exists ? volunteer.displayName : null;
      if (first !== undefined) {
        fail('row', `与第 ${first} 行完全相同，是重复的记录。(The same as row ${first}.)`);
      } else if (row.volunteerName && volunteer.exists && volunteer.displayName !== row.volunteerName) {
        fail('volunteerName', `编号 ${row.volunteerId} 是“${volunteer.displayName}”，与表中的姓名“${row.volunteerName}”不符。(The id belongs to someone else.)`);
      } else {
        const record = await load(serviceRecordDecider, recordStream(recordId));
        const orgUnit = (await load(orgUnitDecider, orgUnitStream(row.orgUnitId!))).state;
        try {
          const events: DomainEvent[] = serviceRecordDecider.decide({
            type: 'RecordService', recordId, volunteerId: row.volunteerId!, orgUnitId: row.orgUnitId!, category: row.category!,
            serviceDate: row.serviceDate!, minutes: row.minutes!, description: row.description ?? '', location: row.location,
            personInCharge: row.personInCharge, source: 'import',
          }, record.state, { now, volunteer, orgUnit });
          appends.push({ stream: record, events });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          if (error.code === 'record-exists') fail('row', '这条记录已经导入过了（志愿者、日期、类别、时长和内容都相同）。(This row was imported before.)');
          else fail(fieldOf(error.code), error.message);
        }
      }
      if (first === undefined) seen.set(recordId, row.row);
    }
    checked.push({ ...row, errors, recordId: errors.length === 0 ? recordId : null, displayName });
  }
  return { rows: checked, appends };
}
