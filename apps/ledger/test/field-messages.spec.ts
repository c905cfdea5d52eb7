import 'reflect-metadata';
import { PlanActivityDto } from '../src/activities/activity.dto';
import { bilingualFieldMessage } from '../src/http/field-messages';
import { validationPipe } from '../src/http/validation';
import { ProblemException } from '../src/http/problem';
import { RegisterVolunteerDto } from '../src/volunteers/volunteer.dto';

/** The field messages of the problem the app's validation pipe answers for this body. */
async function refusals(dto: Function, body: unknown): Promise<Record<string, string[]>> {
  try {
    await validationPipe().transform(body, { type: 'body', metatype: dto as new () => object });
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    const fields: Record<string, string[]> = {};
    for (const { field, message } of error.problem.errors ?? []) {
      (fields[field] ??= []).push(message);
    }
    return fields;
  }
  throw new Error('the body was accepted');
}

/** "中文。(English.)": the Chinese part and the English part. */
const parts = (message: string) => /^([^()]+)。\((.+)\)$/.exec(message)?.slice(1) ?? [];

describe('field messages of a refused body', () => {
  it('are in Chinese first, with class-validator’s English kept in brackets', async () => {
    const fields = await refusals(PlanActivityDto, {
      orgUnitId: 'not an id!', title: '', category: 'dancing', location: 'x'.repeat(201), startsAt: 'tomorrow', endsAt: '2026-11-20T11:00:00+08:00',
      capacity: 0, unknownField: 1,
    });
    const chinese = Object.fromEntries(Object.entries(fields).map(([field, messages]) => [field, messages.map((m) => parts(m)[0])]));
    expect(chinese).toEqual({
      orgUnitId: ['应为编号（字母、数字、- 和 _）'],
      title: ['不能为空'],
      category: [expect.stringMatching(/^应为以下之一：.*digital-inclusion/)],
      location: ['不能超过 200 个字'],
      startsAt: ['应为带时区的时间，例如 2026-11-20T09:00:00+08:00'],
      capacity: ['不能小于 1'],
      unknownField: ['不认识这一项，请去掉'],
    });
    // The English is class-validator's (or the DTO's own) wording, unchanged.
    expect(parts(fields.title[0])[1]).toBe('title must be longer than or equal to 1 characters.');
    expect(parts(fields.capacity[0])[1]).toBe('capacity must not be less than 1.');
  });

  it('word the DTOs’ own messages and every other constraint too', async () => {
    const fields = await refusals(RegisterVolunteerDto, {
      homeOrgUnitId: 'c-1', displayName: 7, phone: '12', idNumber: '123', partyMember: 'yes', occupation: 'astronaut',
    });
    expect(fields.displayName.map((m) => parts(m)[0])).toEqual(expect.arrayContaining(['应为文字']));
    expect(fields.phone.map((m) => parts(m)[0])).toEqual(['应为 5–20 位数字']);
    expect(fields.idNumber.map((m) => parts(m)[0])).toEqual(['应为 18 位居民身份证号码']);
    expect(fields.partyMember.map((m) => parts(m)[0])).toEqual(['应为 true 或 false']);
    expect(fields.occupation.map((m) => parts(m)[0])).toEqual([expect.stringMatching(/^应为以下之一：/)]);
    // Every message of the answer is bilingual: none is left in English alone.
    for (const message of Object.values(fields).flat()) expect(parts(message)).toHaveLength(2);
  });

  it('say only that a required field is missing, once, when it was left out or sent as null', async () => {
    const fields = await refusals(PlanActivityDto, { orgUnitId: 'c-1', title: null, category: 'environment', startsAt: '2026-11-20T09:00:00+08:00', endsAt: '2026-11-20T11:00:00+08:00' });
    expect(fields).toEqual({
      title: ['必须填写。(title is required.)'],
      location: ['必须填写。(location is required.)'],
    });
  });

  it('leave a message the DTO already words in both languages as it is', () => {
    const own = 'code 应为证明上印的 8 位验证码。(code is the 8-character verification code printed on the certificate.)';
    expect(bilingualFieldMessage('matches', own)).toBe(own);
  });
});
