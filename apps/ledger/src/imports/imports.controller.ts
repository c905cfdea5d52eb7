import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, body, inScope, orgUnit, principalOf, SCOPE_DIRECTORY, type ScopeDirectory } from '@haitang/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCommandAnswer } from '../command-pipeline/command-answer';
import { answer, CommandGateway } from '../command-pipeline/command-gateway';
import { DecisionRunner } from '../command-pipeline/decision-runner';
import { problem, ProblemException } from '../http/problem';
import { ApiProblemAnswers } from '../http/problem-answers';
import { ImportAnswer, ImportPreviewAnswer } from './import-answers';
import { checkImportRows, MAX_IMPORT_ROWS } from './import-check';
import { ImportFileDto } from './import.dto';
import { ImportRecordsMessage } from './import.handler';
import { ImportColumnsError, type ImportRow, readImportRows } from './import-rows';
import { readSpreadsheet, UnreadableSpreadsheetError } from './spreadsheet';

const contentProblem = (code: string, message: string) => new ProblemException(problem(422, code, message, [{ field: 'content', message }]));

/** Reads the uploaded sheet into rows, or refuses the file as a whole. */
async function rowsOf(dto: ImportFileDto): Promise<ImportRow[]> {
  try {
    const rows = readImportRows(await readSpreadsheet(dto.fileName, Buffer.from(dto.content, 'base64')), dto.orgUnitId);
    if (rows.length === 0) throw contentProblem('import-empty', '表格中没有记录。(The sheet has no rows below its headings.)');
    if (rows.length > MAX_IMPORT_ROWS) {
      throw contentProblem('import-too-large', `一次最多导入 ${MAX_IMPORT_ROWS} 行，这个表格有 ${rows.length} 行，请分成几个文件。(At most ${MAX_IMPORT_ROWS} rows per import.)`);
    }
    return rows;
  } catch (error) {
    if (error instanceof UnreadableSpreadsheetError) throw contentProblem(error.code, error.message);
    if (error instanceof ImportColumnsError) {
      throw contentProblem('import-columns-missing', `表格缺少这些列：${error.missing.join('、')}。请使用导入模板。(Missing columns: ${error.missing.length}.)`);
    }
    throw error;
  }
}

/**
 * Importing past records from a spreadsheet: a preview that checks every row
 * through the domain and appends nothing, and a commit that appends all rows
 * at once or none (idempotent with its Idempotency-Key).
 */
@ApiTags('service records')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('service-records/imports')
export class ImportsController {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly runner: DecisionRunner,
    @Inject(SCOPE_DIRECTORY) private readonly scopes: ScopeDirectory,
  ) {}

  /** Whether the caller may record service for a unit a row names (a sheet may name units other than the one chosen). */
  private mayRecordFor(req: FastifyRequest): (orgUnitId: string) => Promise<boolean> {
    const principal = principalOf(req.raw);
    return async (orgUnitId) => !!principal && inScope(principal, { orgUnitId, volunteerId: null }, (ancestor, unit) => this.scopes.isWithin(ancestor, unit));
  }

  @Post('preview') @HttpCode(200)
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('orgUnitId'))] })
  @ApiOperation({ summary: 'Check a spreadsheet of past records row by row (nothing is recorded)' })
  @ApiOkResponse({ type: ImportPreviewAnswer })
  async preview(@Body() dto: ImportFileDto, @Req() req: FastifyRequest): Promise<ImportPreviewAnswer> {
    const { rows } = await checkImportRows(this.runner.load, await rowsOf(dto), new Date(), this.mayRecordFor(req));
    const valid = rows.filter((r) => r.errors.length === 0);
    return {
      fileName: dto.fileName,
      orgUnitId: dto.orgUnitId,
      total: rows.length,
      valid: valid.length,
      invalid: rows.length - valid.length,
      totalMinutes: valid.reduce((sum, r) => sum + (r.minutes ?? 0), 0),
      rows: rows.map(({ recordId: _id, ...row }) => row),
    };
  }

  @Post()
  @Access({ action: 'write', roles: ['staff'], scope: [orgUnit(body('orgUnitId'))] })
  @ApiOperation({ summary: 'Record every row of a spreadsheet of past records, all or nothing' })
  @ApiCommandAnswer(201, ImportAnswer)
  async commit(@Body() dto: ImportFileDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ImportAnswer> {
    const context = this.gateway.contextOf(req);
    const rows = await rowsOf(dto);
    const outcome = await this.gateway.execute(new ImportRecordsMessage({ type: 'ImportRecords', fileName: dto.fileName, rows, mayRecordFor: this.mayRecordFor(req) }, context));
    void reply.status(201);
    return answer(reply, outcome);
  }
}
