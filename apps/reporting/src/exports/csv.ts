import type { Cell } from './report-table';

const BOM = '\uFEFF';

/**
 * A text cell as CSV: quoted when it holds a comma, quote or line break, and
 * defused when a spreadsheet would read it as a formula (unit names are user
 * input: "=HYPERLINK(…)" must stay text).
 */
function csvCell(cell: Cell): string {
  if (typeof cell === 'number') return String(cell);
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV (CRLF line ends), UTF-8 with a BOM so that Excel opens Chinese text correctly. */
export function toCsv(header: readonly string[], lines: readonly Cell[][]): Buffer {
  const text = [header, ...lines].map((line) => line.map(csvCell).join(',')).join('\r\n');
  return Buffer.from(`${BOM}${text}\r\n`, 'utf8');
}
