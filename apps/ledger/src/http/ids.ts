import { type PipeTransform, Injectable } from '@nestjs/common';
import { problem, ProblemException } from './problem';

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
