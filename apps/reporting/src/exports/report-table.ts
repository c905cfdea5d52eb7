import { formatHours, type OrgUnitReport, type ReportGrouping } from '@haitang/read-store';

const DIMENSION_NAMES: Record<ReportGrouping, { column: string; title: string }> = {
  child: { column: '单位', title: '按下级单位' },
  category: { column: '服务类别', title: '按服务类别' },
  month: { column: '月份', title: '按月份' },
  group: { column: '志愿者群体', title: '按志愿者群体' },
};

export type Cell = string | number;

/** One table for every export format: a header, one line per row, and the total last. */
export interface ReportTable {
  readonly title: string;
  readonly header: readonly string[];
  /** Cells: key, label, minutes, hours (text, one decimal), activities, volunteers. */
  readonly lines: readonly Cell[][];
  readonly notes: readonly string[];
  /** An ASCII file name and a readable (Chinese) one, without extension. */
  readonly fileName: { ascii: string; readable: string };
}

export function reportTable(report: OrgUnitReport): ReportTable {
  const dimension = DIMENSION_NAMES[report.groupBy];
  const unit = report.orgUnitName ?? report.orgUnitId;
  const line = (key: string, label: string, f: OrgUnitReport['total']): Cell[] =>
    [key, label, f.serviceMinutes, formatHours(f.serviceMinutes), f.activities, f.volunteers];
  const notes = [
    `单位：${unit}（含全部下级单位）；统计区间：${report.from} 至 ${report.to}（北京时间）；分组：${dimension.title}。`,
    '服务时长只计已审核通过的记录，按服务日期归入区间；小时数由分钟数换算，保留一位小数。',
    '各行服务分钟数之和等于合计。',
    '志愿者人数按人去重：同一人可出现在多行，合计为去重后的人数，可能小于各行之和。',
    '活动场次：开始日期在区间内、已结束（已记录时长）的活动。',
  ];
  if (report.groupBy === 'child') notes.push(`“${'本级'}”一行为直接记在本单位（而非下级单位）的记录和活动。`);
  if (report.groupBy === 'group') {
    notes.push('志愿者群体互不重叠，每人只计入一行，按 党员 > 银发 > 快递员 > 外卖骑手 > 网约车司机 > 其他 的顺序归类（按志愿者当前资料），各行志愿者人数之和等于合计。');
    notes.push('此分组下的活动场次为该群体志愿者有通过记录的活动，一场活动可计入多行，各行之和可能大于合计。');
  }
  return {
    title: `${unit} 志愿服务时长统计（${report.from} 至 ${report.to}，${dimension.title}）`,
    header: ['编号', dimension.column, '服务时长（分钟）', '服务时长（小时）', '活动场次', '志愿者人数'],
    lines: [...report.rows.map((r) => line(r.key, r.label, r)), line('total', '合计', report.total)],
    notes,
    fileName: {
      ascii: `haitang-report-${report.orgUnitId}-${report.from}-${report.to}-${report.groupBy}`,
      readable: `${unit}服务时长统计_${report.from}至${report.to}_${dimension.title}`,
    },
  };
}

/** Content-Disposition for a download: an ASCII fallback and the readable name (RFC 6266 / RFC 8187). */
export function attachment(fileName: ReportTable['fileName'], extension: string): string {
  const encoded = encodeURIComponent(`${fileName.readable}.${extension}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fileName.ascii.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}"; filename*=UTF-8''${encoded}`;
}
