import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { zipContents } from './zip-guard';

/** A cell as the importer sees it. */
export type Cell = string | number | boolean | Date | null;

/** Why a file could not be read at all (as opposed to rows with mistakes). */
export class UnreadableSpreadsheetError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'UnreadableSpreadsheetError';
  }
}

const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 2000;

function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellOf((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('hyperlink' in value) return String((value as ExcelJS.CellHyperlinkValue).text ?? '');
    if ('error' in value) return null;
  }
  return String(value);
}

/** CSV from Excel in China is often GB18030 (GBK), not UTF-8: try UTF-8 strictly first. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * The rows of a spreadsheet's first sheet (an .xlsx workbook or a CSV file,
 * UTF-8 or GB18030), each a list of cells, row numbers as the user sees
 * them. CSV cells stay text: nothing is guessed from their look.
 */
export async function readSpreadsheet(fileName: string, bytes: Buffer): Promise<{ rowNumber: number; cells: Cell[] }[]> {
  const isZip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  try {
    if (isZip) {
      const contents = zipContents(bytes);
      if (!contents || contents.entries > MAX_ZIP_ENTRIES || contents.unpackedBytes > MAX_UNPACKED_BYTES) {
        throw new UnreadableSpreadsheetError('import-unreadable', '无法读取这个 Excel 文件（文件损坏或过大）。(The Excel file is damaged or too large to read.)');
      }
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      sheet = workbook.worksheets[0];
    } else {
      if (/\.(xlsx|xlsm|xls)$/i.test(fileName)) {
        throw new UnreadableSpreadsheetError('import-unreadable', '这不是有效的 .xlsx 文件；旧版 .xls 请在 Excel 中另存为 .xlsx 或 CSV。(Not a valid .xlsx file; save old .xls files as .xlsx or CSV.)');
      }
      sheet = await workbook.csv.read(Readable.from([decodeText(bytes)]), { map: (value: string) => value } as never);
    }
  } catch (error) {
    if (error instanceof UnreadableSpreadsheetError) throw error;
    throw new UnreadableSpreadsheetError('import-unreadable', '无法读取这个文件，请上传 .xlsx 或 .csv 表格。(The file could not be read; upload an .xlsx or .csv spreadsheet.)');
  }
  const rows: { rowNumber: number; cells: Cell[] }[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push({ rowNumber, cells: Array.from(values, (v) => cellOf(v as ExcelJS.CellValue)) });
  });
  return rows;
}
