import ExcelJS from 'exceljs';
import type { ReportTable } from './report-table';

/** The name of the sheet holding the figures (a second sheet, 说明, holds the notes). */
export const FIGURES_SHEET = '统计';

/**
 * An Excel workbook of a report table: a title line, the header, one line
 * per row and the total, with minutes as whole numbers and hours as numbers
 * shown with one decimal (computed from minutes, never summed in Excel).
 */
export async function toXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Haitang 海棠';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(FIGURES_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = [{ width: 40 }, { width: 28 }, { width: 18 }, { width: 18 }, { width: 12 }, { width: 12 }];
  sheet.mergeCells(1, 1, 1, table.header.length);
  sheet.getCell(1, 1).value = table.title;
  sheet.getCell(1, 1).font = { bold: true, size: 13 };
  const header = sheet.addRow([...table.header]);
  header.font = { bold: true };
  for (const line of table.lines) {
    const [key, label, minutes, hours, activities, volunteers] = line;
    sheet.addRow([key, label, minutes, Number(hours), activities, volunteers]);
  }
  sheet.lastRow!.font = { bold: true };
  sheet.getColumn(3).numFmt = '0';
  sheet.getColumn(4).numFmt = '0.0';
  sheet.getColumn(5).numFmt = '0';
  sheet.getColumn(6).numFmt = '0';

  const notes = workbook.addWorksheet('说明');
  notes.getColumn(1).width = 120;
  for (const note of table.notes) notes.addRow([note]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
