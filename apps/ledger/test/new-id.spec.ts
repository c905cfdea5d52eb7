import { ID_PATTERN, newId } from '../src/http/ids';

describe('newId', () => {
  it('gives unique ids that pass the id check and sort in the order they were made (so indexes grow at their end)', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
  });
});
