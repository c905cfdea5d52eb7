import { type PipeTransform, Injectable } from '@nestjs/common';
import { v7 } from 'uuid';
import { problem, ProblemException } from './problem';

/**
 * A new id for something Haitang creates (an activity, a team, a service record, an event, a command
 * without an Idempotency-Key): a time-ordered UUID (version 7). Ordered ids are added at the end of
 * the indexes that hold them (the log's stream and event-id indexes, the read models' record keys),
 * so a commit writes a few pages instead of one random page for each new id: fewer bytes to sync.
 */
export const newId = (): string => v7();

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Ids in paths: anything that cannot be an id cannot exist, so it is answered 404. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new ProblemException(problem(404, 'not-found', '找不到该编号对应的记录。(Nothing exists with this id.)'));
    }
    return value;
  }
}
