import { Controller, Get, Headers, Inject, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Access, orgUnit, param, type Principal, principalOf } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { shanghaiDate, volunteerStream, type WorkingDayCalendar } from '@haitang/domain';
import {
  allOrgUnits, ancestorOrgUnitIds, checkDayRange, type OrgUnitSummary, streamOwner, subtreeOrgUnitIds, FigureCache, orgUnitDashboard, type OrgUnitDashboard, type OrgUnitReport, orgUnitExists, orgUnitReport, orgUnitView, PROJECTION_PROGRESS,
  type ProjectionProgress, READ_MODELS, type ReadModels, shanghaiPeriod,
} from '@haitang/read-store';
import { ApiProblemAnswers, ParseIdPipe } from '@haitang/ledger';
import { caughtUp, ConsistencyQuery } from '../read-your-writes';
import { toCsv } from '../exports/csv';
import { MEDIA_TYPES, negotiateReportFormat, type ReportFormat } from '../exports/report-format';
import { attachment, reportTable } from '../exports/report-table';
import { toXlsx } from '../exports/xlsx';
import { DashboardAnswer, OrgUnitAnswer, OrgUnitListAnswer, ReportAnswer } from './org-unit-answers';
import { DashboardQuery, ReportQuery } from './org-unit-queries.dto';
import { checkQuery, orgUnitNotFound } from './query-checks';
import { WORKING_DAYS } from '../reporting.tokens';

const REPORT_FILES = {
  [MEDIA_TYPES.csv]: { schema: { type: 'string', description: 'The rows and the total as CSV, UTF-8 with a BOM (opens in Excel)' } },
  [MEDIA_TYPES.xlsx]: { schema: { type: 'string', format: 'binary', description: 'The rows and the total as an Excel workbook' } },
};
const FILE_HEADERS = {
  'Content-Disposition': { description: 'attachment, with the report’s file name', schema: { type: 'string' } },
  'X-Projected-Position': { description: 'How far the read models had come (the JSON answer’s projectedPosition)', schema: { type: 'string' } },
};

/** The hierarchy, a unit's monthly dashboard and its reports (JSON, CSV, Excel), from the read models. */
@ApiTags('org units')
@ApiBearerAuth()
@ApiProblemAnswers()
@ApiExtraModels(ReportAnswer)
@Controller('org-units')
export class OrgUnitReportsController {
  /** Reports are reused while their unit's figures over their months are unchanged (exact, see FigureCache). */
  private readonly reports = new FigureCache<OrgUnitReport>();
  private readonly dashboards = new FigureCache<OrgUnitDashboard>();

  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(WORKING_DAYS) private readonly workingDays: WorkingDayCalendar,
  ) {}

  @Get()
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: 'caller' })
  @ApiOperation({ summary: 'The org units the caller may see (all for an admin, their subtree for officials and staff), parents before children' })
  @ApiOkResponse({ type: OrgUnitListAnswer })
  async list(@Query() query: ConsistencyQuery, @Req() req: FastifyRequest): Promise<OrgUnitListAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    return { orgUnits: await this.visibleUnits(principalOf(req.raw)!), projectedPosition: this.runner.position };
  }

  /**
   * The units a caller may see: all for an admin, the subtree of their unit for
   * officials and staff, and for a volunteer their home unit with the units
   * above it (where a self-report may be sent).
   */
  private async visibleUnits(caller: Principal): Promise<OrgUnitSummary[]> {
    const units = await allOrgUnits(this.db);
    if (caller.role === 'admin') return units;
    let visible: string[] = [];
    if (caller.role === 'volunteer') {
      const home = caller.volunteerId === null ? null : (await streamOwner(this.db, volunteerStream(caller.volunteerId)))?.orgUnitId ?? null;
      if (home !== null) visible = await ancestorOrgUnitIds(this.db, home);
    } else if (caller.orgUnitId !== null) {
      visible = await subtreeOrgUnitIds(this.db, caller.orgUnitId);
    }
    const keep = new Set(visible);
    return units.filter((u) => keep.has(u.orgUnitId));
  }

  @Get(':id')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'A unit with its path from the district and its children' })
  @ApiOkResponse({ type: OrgUnitAnswer })
  async unit(@Param('id', ParseIdPipe) id: string, @Query() query: ConsistencyQuery): Promise<OrgUnitAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    const unit = await orgUnitView(this.db, id);
    if (!unit) throw orgUnitNotFound();
    return { ...unit, projectedPosition: this.runner.position };
  }

  @Get(':id/dashboard')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'A month of the unit and everything under it: activities, minutes, volunteers, groups, top 10, overdue activities' })
  @ApiOkResponse({ type: DashboardAnswer })
  async dashboard(@Param('id', ParseIdPipe) id: string, @Query() query: DashboardQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<DashboardAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    if (!(await orgUnitExists(this.db, id))) throw orgUnitNotFound();
    const now = new Date();
    const period = query.period ?? shanghaiPeriod(now);
    const today = shanghaiDate(now);
    // The key holds today: which activities are overdue depends on the day.
    const { value: dashboard, hit } = await this.dashboards.get(this.db, { unitId: id, fromMonth: period, toMonth: period, anyMonth: true },
      `${id}|${period}|${today}`, () => orgUnitDashboard(this.db, id, period, today, this.workingDays));
    void reply.header('x-figures-cache', hit ? 'hit' : 'miss');
    return { ...dashboard, projectedPosition: this.runner.position };
  }

  @Get(':id/report')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'Minutes, activities and volunteers of the unit’s subtree over days, by child, category, month or group (Accept: text/csv for CSV)' })
  @ApiOkResponse({
    description: 'JSON (ReportAnswer), or the same as CSV or Excel by Accept or `format`',
    content: { [MEDIA_TYPES.json]: { schema: { $ref: getSchemaPath(ReportAnswer) } }, ...REPORT_FILES },
  })
  report(
    @Param('id', ParseIdPipe) id: string, @Query() query: ReportQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReportAnswer | StreamableFile> {
    void reply.header('vary', 'Accept');
    return this.answer(id, query, query.format ?? negotiateReportFormat(accept), reply);
  }

  @Get(':id/report.csv')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'The report as CSV (UTF-8 with BOM, opens in Excel)' })
  @ApiOkResponse({ description: 'The report as CSV', headers: FILE_HEADERS, content: { [MEDIA_TYPES.csv]: REPORT_FILES[MEDIA_TYPES.csv] } })
  reportCsv(@Param('id', ParseIdPipe) id: string, @Query() query: ReportQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<ReportAnswer | StreamableFile> {
    return this.answer(id, query, 'csv', reply);
  }

  @Get(':id/report.xlsx')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'The report as an Excel workbook' })
  @ApiOkResponse({ description: 'The report as an Excel workbook', headers: FILE_HEADERS, content: { [MEDIA_TYPES.xlsx]: REPORT_FILES[MEDIA_TYPES.xlsx] } })
  reportXlsx(@Param('id', ParseIdPipe) id: string, @Query() query: ReportQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<ReportAnswer | StreamableFile> {
    return this.answer(id, query, 'xlsx', reply);
  }

  private async answer(id: string, query: ReportQuery, format: ReportFormat, reply: FastifyReply): Promise<ReportAnswer | StreamableFile> {
    const range = checkQuery('from', () => checkDayRange(query.from, query.to));
    await caughtUp(this.runner, query.minPosition, this.log);
    if (!(await orgUnitExists(this.db, id))) throw orgUnitNotFound();
    const groupBy = query.groupBy ?? 'child';
    const { value: report, hit } = await this.reports.get(this.db, { unitId: id, fromMonth: range.from.slice(0, 7), toMonth: range.to.slice(0, 7) },
      `${id}|${range.from}|${range.to}|${groupBy}`, () => orgUnitReport(this.db, id, range, groupBy));
    void reply.header('x-figures-cache', hit ? 'hit' : 'miss');
    if (format === 'json') return { ...report, projectedPosition: this.runner.position };
    const table = reportTable(report);
    const file = format === 'csv' ? toCsv(table.header, table.lines) : await toXlsx(table);
    void reply.header('x-projected-position', String(this.runner.position));
    return new StreamableFile(file, {
      type: format === 'csv' ? `${MEDIA_TYPES.csv}; charset=utf-8` : MEDIA_TYPES.xlsx,
      disposition: attachment(table.fileName, format),
      length: file.length,
    });
  }
}
