import { isCalendarDate, SERVICE_CATEGORIES, SERVICE_CATEGORY_CODES, type ServiceCategory } from '@haitang/domain';
import type { FieldError } from '../http/problem';
import type { Cell } from './spreadsheet';

/** One row of an import, read and normalised (null where the cell was empty or wrong). */
export interface ImportRowInput {
  volunteerId: string | null;
  /** Optional: when given, it must be the volunteer's name (catches a wrong id). */
  volunteerName: string | null;
  orgUnitId: string | null;
  serviceDate: string | null;
  category: ServiceCategory | null;
  minutes: number | null;
  description: string | null;
  location: string | null;
  personInCharge: string | null;
}

export interface ImportRow extends ImportRowInput {
  /** The row number in the spreadsheet, as the user sees it. */
  row: number;
  errors: FieldError[];
}

type Field = keyof ImportRowInput | 'hours';

/** Column headings the importer recognises (Chinese first; English and codes too), compared without spaces and brackets. */
const HEADINGS: Record<Field, string[]> = {
  volunteerId: ['志愿者编号', '志愿者id', '编号', 'volunteerid', 'volunteer'],
  volunteerName: ['志愿者姓名', '姓名', '志愿者', 'name', 'volunteername', 'displayname'],
  orgUnitId: ['组织单位编号', '单位编号', 'orgunitid', 'orgunit'],
  serviceDate: ['服务日期', '日期', 'servicedate', 'date'],
  category: ['服务类别', '类别', 'category'],
  minutes: ['服务时长分钟', '时长分钟', '分钟', 'minutes'],
  hours: ['服务时长小时', '时长小时', '小时', '服务时长', 'hours'],
  description: ['服务内容', '内容', 'description'],
  location: ['服务地点', '地点', 'location'],
  personInCharge: ['负责人', 'personincharge'],
};

/** The labels used in messages (and in the template the console offers). */
export const FIELD_LABELS: Record<Field, string> = {
  volunteerId: '志愿者编号', volunteerName: '姓名', orgUnitId: '组织单位编号', serviceDate: '服务日期', category: '服务类别',
  minutes: '服务时长（分钟）', hours: '服务时长（小时）', description: '服务内容', location: '服务地点', personInCharge: '负责人',
};

const normalise = (heading: string) => heading.toLowerCase().replace(/[\s()（）［］[\]【】:：_-]/g, '');

export class ImportColumnsError extends Error {
  constructor(readonly missing: string[]) {
    super(`missing columns: ${missing.join(', ')}`);
  }
}

/** Where each field is in the sheet, from its heading row. */
function columnsOf(heading: Cell[]): Partial<Record<Field, number>> {
  const columns: Partial<Record<Field, number>> = {};
  heading.forEach((cell, index) => {
    if (typeof cell !== 'string') return;
    const key = normalise(cell);
    for (const [field, names] of Object.entries(HEADINGS) as [Field, string[]][]) {
      if (columns[field] === undefined && names.includes(key)) {
        columns[field] = index;
        return;
      }
    }
  });
  return columns;
}

const text = (cell: Cell): string => {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
};

/** Excel counts days from 1899-12-30 (its serial dates). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function parseDate(cell: Cell): string | null {
  // Excel stores a date cell as midnight UTC of that calendar day.
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 36526 || cell > 73050) return null; // 2000-01-01 .. 2099-12-31
    return new Date(EXCEL_EPOCH_MS + cell * 86_400_000).toISOString().slice(0, 10);
  }
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text(cell));
  if (!match) return null;
  const date = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  return isCalendarDate(date) ? date : null;
}

const CATEGORY_BY_NAME = new Map<string, ServiceCategory>();
for (const code of SERVICE_CATEGORY_CODES) {
  CATEGORY_BY_NAME.set(code, code);
  for (const name of [SERVICE_CATEGORIES[code], ...SERVICE_CATEGORIES[code].split('/')]) CATEGORY_BY_NAME.set(name, code);
}

function parseNumber(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  const t = text(cell);
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
}

/** The sheet's heading row: the first row with two or more recognised headings. */
function headingRow(rows: { rowNumber: number; cells: Cell[] }[]): number {
  return rows.findIndex((r) => Object.keys(columnsOf(r.cells)).length >= 2);
}

/**
 * Reads the rows of an import sheet: finds the heading row, maps the columns
 * it recognises, and normalises every cell (dates written 2026-10-01,
 * 2026/10/1 or 2026年10月1日, or Excel dates; categories by code or Chinese
 * name; minutes, or hours that make whole minutes). Mistakes are listed per
 * row and field; the rules of the ledger are checked afterwards by the domain.
 * `orgUnitId` is used for rows without a unit column.
 */
export function readImportRows(rows: { rowNumber: number; cells: Cell[] }[], orgUnitId: string): ImportRow[] {
  const at = headingRow(rows);
  const columns = at < 0 ? {} : columnsOf(rows[at].cells);
  const missing: string[] = [];
  if (columns.volunteerId === undefined) missing.push(FIELD_LABELS.volunteerId);
  if (columns.serviceDate === undefined) missing.push(FIELD_LABELS.serviceDate);
  if (columns.category === undefined) missing.push(FIELD_LABELS.category);
  if (columns.minutes === undefined && columns.hours === undefined) missing.push(`${FIELD_LABELS.minutes}或${FIELD_LABELS.hours}`);
  if (columns.description === undefined) missing.push(FIELD_LABELS.description);
  if (missing.length > 0) throw new ImportColumnsError(missing);

  const cell = (cells: Cell[], field: Field): Cell => (columns[field] === undefined ? null : cells[columns[field]!] ?? null);
  return rows.slice(at + 1)
    .filter((r) => r.cells.some((c) => text(c) !== ''))
    .map(({ rowNumber, cells }) => {
      const errors: FieldError[] = [];
      const fail = (field: Field, message: string) => errors.push({ field, message });
      const optional = (field: Field) => text(cell(cells, field)) || null;

      const volunteerId = optional('volunteerId');
      if (!volunteerId) fail('volunteerId', '请填写志愿者编号。(volunteerId is required.)');

      const serviceDate = parseDate(cell(cells, 'serviceDate'));
      if (!serviceDate) fail('serviceDate', `服务日期“${text(cell(cells, 'serviceDate'))}”无法识别，请写成 2026-10-01。(serviceDate must be a date such as 2026-10-01.)`);

      const categoryText = text(cell(cells, 'category'));
      const category = CATEGORY_BY_NAME.get(categoryText) ?? null;
      if (!category) fail('category', `服务类别“${categoryText}”不在目录中。(Unknown category.)`);

      let minutes: number | null = null;
      const minutesCell = cell(cells, 'minutes');
      const hoursCell = cell(cells, 'hours');
      if (text(minutesCell) !== '') {
        minutes = parseNumber(minutesCell);
        if (minutes === null || !Number.isInteger(minutes)) {
          fail('minutes', `服务时长“${text(minutesCell)}”应为整分钟数。(minutes must be a whole number.)`);
          minutes = null;
        }
      } else if (text(hoursCell) !== '') {
        const hours = parseNumber(hoursCell);
        const asMinutes = hours === null ? NaN : Math.round(hours * 60 * 1000) / 1000;
        if (!Number.isInteger(asMinutes)) fail('minutes', `服务时长“${text(hoursCell)}”小时换算后不是整分钟。(hours must make whole minutes.)`);
        else minutes = asMinutes;
      } else {
        fail('minutes', '请填写服务时长。(minutes are required.)');
      }

      return {
        row: rowNumber,
        volunteerId,
        volunteerName: optional('volunteerName'),
        orgUnitId: optional('orgUnitId') ?? orgUnitId,
        serviceDate,
        category,
        minutes,
        description: optional('description'),
        location: optional('location'),
        personInCharge: optional('personInCharge'),
        errors,
      };
    });
}
