import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsPositive, IsString, MetadataStorage, validate } from 'class-validator';
import { AttendanceDto } from '../src/activities/activity.dto';
import { RecordServiceDto } from '../src/records/service-record.dto';
import { rememberValidationRules } from '../src/http/validation-metadata';

class Base {
  @IsString() name!: string;
}
class Child extends Base {
  @IsInt() count!: number;
  limit?: number;
}

const failedFields = async (value: object) => (await validate(plainToInstance(Child, value))).map((e) => e.property).sort();

describe('remembering which validation rules apply to a DTO class', () => {
  const storage = getMetadataStorage();
  const original = (target: Function, always = false, strictGroups = false, groups?: string[]) =>
    MetadataStorage.prototype.getTargetValidationMetadatas.call(storage, target, '', always, strictGroups, groups);

  beforeAll(() => rememberValidationRules());

  it('answers what the storage answers, rules inherited from a base class included', () => {
    for (const dto of [Child, AttendanceDto, RecordServiceDto]) {
      for (const groups of [undefined, [], ['a']]) {
        expect(storage.getTargetValidationMetadatas(dto, '', false, false, groups)).toEqual(original(dto, false, false, groups));
      }
      expect(storage.getTargetValidationMetadatas(dto, '', true, true)).toEqual(original(dto, true, true));
    }
    expect(storage.getTargetValidationMetadatas(Child, '', false, false).map((m) => m.propertyName).sort()).toEqual(['count', 'name']);
  });

  it('still refuses what the rules refuse, each time', async () => {
    expect(await failedFields({ name: 1, count: 'x' })).toEqual(['count', 'name']);
    expect(await failedFields({ name: 1, count: 'x' })).toEqual(['count', 'name']);
    expect(await failedFields({ name: '王', count: 2 })).toEqual([]);
  });

  it('forgets what it remembered when a rule is registered later', async () => {
    expect(await failedFields({ name: '王', count: 2, limit: -1 })).toEqual([]);
    IsPositive()(Child.prototype, 'limit');
    expect(await failedFields({ name: '王', count: 2, limit: -1 })).toEqual(['limit']);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toEqual(original(Child));
  });

  it('is installed once however often it is asked', () => {
    const lookUp = storage.getTargetValidationMetadatas;
    rememberValidationRules();
    expect(storage.getTargetValidationMetadatas).toBe(lookUp);
  });
});
