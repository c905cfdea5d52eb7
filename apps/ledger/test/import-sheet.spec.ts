import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { ImportColumnsError, readImportRows } from '../src/imports/import-rows';
import { readSpreadsheet, UnreadableSpreadsheetError } from '../src/imports/spreadsheet';
import { zipContents } from '../src/imports/zip-guard';

const csv = (text: string) => Buffer.from(text, 'utf8');

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('记录');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function refusal(file: string, bytes: Buffer): Promise<string> {
  try {
    await readSpreadsheet(file, bytes);
    return 'read';
  } catch (error) {
    if (error instanceof UnreadableSpreadsheetError) return error.code;
    throw error;
  }
}

describe('reading an import sheet', () => {
  it('reads CSV in UTF-8 (with or without BOM) and in GB18030, cells as text', async () => {
    const text = '志愿者编号,服务日期,服务类别,服务时长（分钟）,服务内容\nv-1,2026-10-01,垃圾分类,0090,"桶边督导,第一组"\n';
    for (const bytes of [csv(text), csv(`\uFEFF${text}`), Buffer.from(new TextEncoder().encode(text)), gb18030(text)]) {
      const rows = await readSpreadsheet('a.csv', bytes);
      expect(rows.map((r) => r.cells)).toEqual([
        ['志愿者编号', '服务日期', '服务类别', '服务时长（分钟）', '服务内容'],
        ['v-1', '2026-10-01', '垃圾分类', '0090', '桶边督导,第一组'],
      ]);
    }
  });

  it('reads the first sheet of an .xlsx with dates, numbers, rich text and formulas', async () => {
    const bytes = await xlsx([
      ['志愿者编号', '姓名', '服务日期', '服务类别', '服务时长（小时）', '服务内容'],
      ['v-1', { richText: [{ text: '俞' }, { text: '阿姨' }] }, new Date(Date.UTC(2026, 9, 1)), '爱心送乘', { formula: '1+0.5', result: 1.5 }, '送老人'],
    ]);
    const rows = readImportRows(await readSpreadsheet('a.xlsx', bytes), 'c1');
    expect(rows).toEqual([expect.objectContaining({
      row: 2, volunteerId: 'v-1', volunteerName: '俞阿姨', serviceDate: '2026-10-01', category: 'elder-rides', minutes: 90, orgUnitId: 'c1', errors: [],
    })]);
  });

  it('refuses files it cannot read as a whole: junk, an old .xls, a zip that unpacks to too much', async () => {
    expect(await refusal('a.xlsx', Buffer.from('hello'))).toBe('import-unreadable');
    expect(await refusal('a.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toBe('import-unreadable');
    expect(zipContents(zipBomb())!.unpackedBytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(await refusal('a.xlsx', zipBomb())).toBe('import-unreadable');
    // A real workbook passes the guard.
    expect(zipContents(await xlsx([['a']]))!.unpackedBytes).toBeLessThan(50 * 1024 * 1024);
  });

  it('finds the heading row by its names and refuses a sheet without the required columns', () => {
    const sheet = [
      { rowNumber: 1, cells: ['2026年桃花坞社区志愿服务登记表'] },
      { rowNumber: 2, cells: ['编号', '日期', '类别', '分钟', '内容', '地点'] },
      { rowNumber: 3, cells: ['v-2', '2026年10月3日', 'garbage-sorting', 45, '督导', '3 号楼'] },
      { rowNumber: 4, cells: [null, '', null] },
    ];
    expect(readImportRows(sheet, 'c1')).toEqual([expect.objectContaining({ row: 3, volunteerId: 'v-2', serviceDate: '2026-10-03', minutes: 45, location: '3 号楼', errors: [] })]);
    expect(() => readImportRows([{ rowNumber: 1, cells: ['志愿者编号', '服务日期'] }], 'c1')).toThrow(ImportColumnsError);
  });

  it('lists every mistake of a row by field', () => {
    const heading = { rowNumber: 1, cells: ['志愿者编号', '服务日期', '服务类别', '服务时长（小时）', '服务内容', '组织单位编号'] };
    const rows = readImportRows([heading,
      { rowNumber: 2, cells: ['', '2026-02-30', '扫地', '1.01', '内容', 'c2'] },
      { rowNumber: 3, cells: ['v-3', 46296, '其他', '0.75', '内容', null] },
    ], 'c1');
    expect(rows[0].errors.map((e) => e.field)).toEqual(['volunteerId', 'serviceDate', 'category', 'minutes']);
    expect(rows[0].orgUnitId).toBe('c2');
    // An Excel serial date (46296 is 2026-10-01) and hours that make whole minutes (0.75 h = 45 min).
    expect(rows[1]).toMatchObject({ serviceDate: '2026-10-01', minutes: 45, orgUnitId: 'c1', errors: [] });
  });

  it('reads the sizes a ZIP declares without inflating it', () => {
    const zip = storedZip('a.txt', Buffer.from('hello'));
    expect(zipContents(zip)).toEqual({ entries: 1, unpackedBytes: 5 });
    expect(zipContents(Buffer.from('not a zip at all'))).toBeNull();
  });
});

function gb18030(text: string): Buffer {
  // Node has no GB18030 encoder; the characters used above have these GBK codes.
  const codes: Record<string, number[]> = {
    志: [0xd6, 0xbe], 愿: [0xd4, 0xb8], 者: [0xd5, 0xdf], 编: [0xb1, 0xe0], 号: [0xba, 0xc5], 服: [0xb7, 0xfe], 务: [0xce, 0xf1], 日: [0xc8, 0xd5],
    期: [0xc6, 0xda], 类: [0xc0, 0xe0], 别: [0xb1, 0xf0], 时: [0xca, 0xb1], 长: [0xb3, 0xa4], '（': [0xa3, 0xa8], 分: [0xb7, 0xd6], 钟: [0xd6, 0xd3],
    '）': [0xa3, 0xa9], 内: [0xc4, 0xda], 容: [0xc8, 0xdd], 垃: [0xc0, 0xac], 圾: [0xbb, 0xf8], 桶: [0xcd, 0xb0], 边: [0xb1, 0xdf], 督: [0xb6, 0xbd],
    导: [0xb5, 0xbc], 第: [0xb5, 0xda], 一: [0xd2, 0xbb], 组: [0xd7, 0xe9],
  };
  return Buffer.from(Array.from(text).flatMap((ch) => codes[ch] ?? [...Buffer.from(ch, 'latin1')]));
}

/** A one-entry ZIP with the file stored (not compressed). */
function storedZip(name: string, data: Buffer, declaredSize = data.length): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(n.length, 28);
  const start = 30 + n.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(start, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

/** A small ZIP whose one entry says it unpacks to 200 MB (a deflated run of zeros would). */
function zipBomb(): Buffer {
  return storedZip('xl/worksheets/sheet1.xml', deflateRawSync(Buffer.alloc(1024)), 200 * 1024 * 1024);
}
