import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../command-pipeline/command-context';
import { DecisionRunner } from '../command-pipeline/decision-runner';
import { problem, ProblemException } from '../http/problem';
import { checkImportRows } from './import-check';
import type { ImportResult } from './import-answers';
import type { ImportRow } from './import-rows';

export interface ImportRecords {
  readonly type: 'ImportRecords';
  readonly fileName: string;
  readonly rows: readonly ImportRow[];
  /** Whether the actor may record service for a unit (the rows may name several). */
  readonly mayRecordFor: (orgUnitId: string) => Promise<boolean>;
}

export class ImportRecordsMessage extends Command<CommandOutcome<ImportResult>> {
  constructor(readonly command: ImportRecords, readonly context: CommandContext) {
    super();
  }
}

/** How many row errors a refused import lists (the preview shows them all). */
const LISTED_ERRORS = 200;

/**
 * Commits an import: every row is checked again through the domain, and the
 * records of all rows are appended in ONE atomic multi-stream append (with the
 * command's receipt), or nothing is appended when any row is wrong.
 */
@CommandHandler(ImportRecordsMessage)
export class ImportRecordsHandler implements ICommandHandler<ImportRecordsMessage> {
  constructor(private readonly runner: DecisionRunner) {}

  execute({ command, context }: ImportRecordsMessage) {
    return this.runner.run(context, async (load) => {
      const { rows, appends } = await checkImportRows(load, command.rows, context.now, command.mayRecordFor);
      const wrong = rows.filter((r) => r.errors.length > 0);
      if (wrong.length > 0) {
        const errors = wrong.flatMap((r) => r.errors.map((e) => ({ field: `rows[${r.row}].${e.field}`, message: `第 ${r.row} 行：${e.message}` })));
        throw new ProblemException(problem(422, 'import-has-errors',
          `表格中有 ${wrong.length} 行有误，没有导入任何记录。请改正后重新上传。(${wrong.length} rows have mistakes; nothing was imported.)`,
          errors.slice(0, LISTED_ERRORS)));
      }
      const totalMinutes = rows.reduce((sum, r) => sum + (r.minutes ?? 0), 0);
      return { appends, result: { fileName: command.fileName, imported: rows.length, totalMinutes } };
    });
  }
}
