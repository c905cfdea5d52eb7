import { Controller, Get, Headers, Inject, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, orgUnit, param, type Principal, principalOf } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { shanghaiDate } from '@haitang/domain';
import {
  allOrgUnits, ancestorOrgUnitIds, checkDayRange, type OrgUnitSummary, streamOwner, subtreeOrgUnitIds, FigureCache, orgUnitDashboard, type OrgUnitDashboard, type OrgUnitReport, orgUnitExists, orgUnitReport, orgUnitView, PROJECTION_PROGRESS,
  type ProjectionProgress, READ_MODELS, type ReadModels, shanghaiPeriod,
} from '@haitang/read-store';
import { ParseIdPipe } from '@haitang/ledger';
import { caughtUp, ConsistencyQuery } from '../read-your-writes';
import { toCsv } from '../exports/csv';
import { MEDIA_TYPES, negotiateReportFormat, type ReportFormat } from '../exports/report-format';
import { attachment, reportTable } from '../exports/report-table';
import { toXlsx } from '../exports/xlsx';
import { DashboardQuery, ReportQuery } from './org-unit-queries.dto';
import { checkQuery, orgUnitNotFound } from './query-checks';

/** The hierarchy, a unit's monthly dashboard and its reports (JSON, CSV, Excel), from the read models. */
@ApiTags('org units')
@ApiBearerAuth()
@Controller('org-units')
export class OrgUnitReportsController {
  /** Reports are reused while their unit's figures over their months are unchanged (exact, see FigureCache). */
  private readonly reports = new FigureCache<OrgUnitReport>();
  private readonly dashboards = new FigureCache<OrgUnitDashboard>();

  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  @Get()
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: 'caller' })
  @ApiOperation({ summary: 'The org units the caller may see (all for an admin, their subtree for officials and staff), parents before children' })
  async list(@Query() query: ConsistencyQuery, @Req() req: FastifyRequest) {
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
      const home = caller.volunteerId === null ? null : (await streamOwner(this.db, `volunteer-${caller.volunteerId}`))?.orgUnitId ?? null;
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
  async unit(@Param('id', ParseIdPipe) id: string, @Query() query: ConsistencyQuery) {
    await caughtUp(this.runner, query.minPosition, this.log);
    const unit = await orgUnitView(this.db, id);
    if (!unit) throw orgUnitNotFound();
    return { ...unit, projectedPosition: this.runner.position };
  }

  @Get(':id/dashboard')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiOperation({ summary: 'A month of the unit and everything under it: activities, minutes, volunteers, groups, top 10, overdue activities' })
  async dashboard(@Param('id', ParseIdPipe) id: string, @Query() query: DashboardQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    await caughtUp(this.runner, query.minPosition, this.log);
    if (!(await orgUnitExists(this.db, id))) throw orgUnitNotFound();
    const now = new Date();
    const period = query.period ?? shanghaiPeriod(now);
    const today = shanghaiDate(now);
    // The key holds today: which activities are overdue depends on the day.
    const { value: dashboard, hit } = await this.dashboards.get(this.db, { unitId: id, fromMonth: period, toMonth: period, anyMonth: true },
      `${id}|${period}|${today}`, () => orgUnitDashboard(this.db, id, period, today));
    void reply.header('x-figures-cache', hit ? 'hit' : 'miss');
    return { ...dashboard, projectedPosition: this.runner.position };
  }

  @Get(':id/report')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiProduces(MEDIA_TYPES.json, MEDIA_TYPES.csv, MEDIA_TYPES.xlsx)
  @ApiOperation({ summary: 'Minutes, activities and volunteers of the unit’s subtree over days, by child, category, month or group (Accept: text/csv for CSV)' })
  report(@Param('id', ParseIdPipe) id: string, @Query() query: ReportQuery, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('vary', 'Accept');
    return this.answer(id, query, query.format ?? negotiateReportFormat(accept), reply);
  }

  @Get(':id/report.csv')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiProduces(MEDIA_TYPES.csv)
  @ApiOperation({ summary: 'The report as CSV (UTF-8 with BOM, opens in Excel)' })
  reportCsv(@Param('id', ParseIdPipe) id: string, @Query() query: ReportQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(id, query, 'csv', reply);
  }

  @Get(':id/report.xlsx')
  @Access({ action: 'read', roles: ['official', 'staff'], scope: [orgUnit(param('id'))] })
  @ApiProduces(MEDIA_TYPES.xlsx)
  @ApiOperation({ summary: 'The report as an Excel workbook' })
  reportXlsx(@Param('id', ParseIdPipe) id: string, @Query() query: ReportQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(id, query, 'xlsx', reply);
  }

  private async answer(id: string, query: ReportQuery, format: ReportFormat, reply: FastifyReply) {
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
