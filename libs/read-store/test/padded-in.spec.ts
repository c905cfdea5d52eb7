import { paddedIn } from '../src/read-models.port';

describe('paddedIn', () => {
  it('pads a list to the next power of two with its last value, one placeholder each', () => {
    expect(paddedIn(['a'])).toEqual({ placeholders: '?', params: ['a'] });
    expect(paddedIn(['a', 'b'])).toEqual({ placeholders: '?, ?', params: ['a', 'b'] });
    expect(paddedIn(['a', 'b', 'c'])).toEqual({ placeholders: '?, ?, ?, ?', params: ['a', 'b', 'c', 'c'] });
    const five = paddedIn([1, 2, 3, 4, 5]);
    expect([five.params, five.placeholders.split(', ').length]).toEqual([[1, 2, 3, 4, 5, 5, 5, 5], 8]);
  });
});
