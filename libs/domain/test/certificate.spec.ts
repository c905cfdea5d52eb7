import {
  certificateDecider, type CertificateIssued, certificateNumbered, type CertificateNumbered, certificateRegisterStream, certificateYear, type IssueCertificate,
  parseCertificateNumber, VERIFICATION_CODE,
} from '../src';
import { spec } from './decider-spec';
import { missingVolunteer, volunteer } from './fixtures';

// 2026-03-10 10:00 in Shanghai.
const now = new Date('2026-03-10T02:00:00Z');
const ctx = { now, volunteer };
const service = { approvedMinutes: 540, byCategory: { 'digital-inclusion': 360, environment: 180 }, records: 4, asOfPosition: 812 };
const holder = { displayName: '王阿姨', homeOrgUnitName: '桃花坞社区' };
const issue: IssueCertificate = { type: 'IssueCertificate', volunteerId: 'vol-1', from: '2026-01-01', to: '2026-03-10', verificationCode: 'K7Q2M9XD', holder, service };
const issued = (number: string, code = 'K7Q2M9XD'): CertificateIssued => ({
  type: 'CertificateIssued.v1',
  data: { number, verificationCode: code, volunteerId: 'vol-1', from: '2026-01-01', to: '2026-03-10', ...holder, ...service },
});

describe('certificates', () => {
  it('keeps one register stream per year of issue, by the Shanghai calendar', () => {
    expect(certificateRegisterStream('2026')).toBe('certificates-2026');
    expect(certificateYear(new Date('2026-12-31T15:59:59Z'))).toBe('2026');
    expect(certificateYear(new Date('2026-12-31T16:00:00Z'))).toBe('2027');
  });

  it('reads a number back into its register and place, and nothing else', () => {
    expect(parseCertificateNumber('2026-000042')).toEqual({ year: '2026', serial: 42 });
    expect(parseCertificateNumber('2026-1000000')).toEqual({ year: '2026', serial: 1_000_000 });
    for (const bad of ['2026-000000', '2026-42', '26-000042', '2026-0000421', ' 2026-000042', '2026_000042', 'abc']) {
      expect(parseCertificateNumber(bad)).toBeNull();
    }
  });

  it('accepts verification codes of eight characters without look-alikes', () => {
    expect(VERIFICATION_CODE.test('K7Q2M9XD')).toBe(true);
    for (const bad of ['K7Q2M9X', 'K7Q2M9XDA', 'K7Q2M9X0', 'K7Q2M9XO', 'K7Q2M9XI', 'k7q2m9xd']) expect(VERIFICATION_CODE.test(bad)).toBe(false);
  });

  describe('IssueCertificate', () => {
    it('numbers the first certificate of the year 000001, with the figures it was given', () => {
      spec(certificateDecider).given([]).when(issue, ctx).then([issued('2026-000001')]);
    });

    it('numbers each next certificate after those the register holds', () => {
      const numbered = (number: string): CertificateNumbered => ({ type: 'CertificateNumbered.v1', data: { number, volunteerId: 'vol-9' } });
      spec(certificateDecider).given([numbered('2026-000001'), numbered('2026-000002')]).when(issue, ctx).then([issued('2026-000003')]);
    });

    it('enters the certificate in the register as its number and whose it is', () => {
      expect(certificateNumbered(issued('2026-000007'))).toEqual({ type: 'CertificateNumbered.v1', data: { number: '2026-000007', volunteerId: 'vol-1' } });
    });

    it('numbers the millionth of a year with seven digits, and reads that number back', () => {
      const [event] = certificateDecider.decide(issue, { issued: 999_999 }, ctx);
      expect(event.data.number).toBe('2026-1000000');
      expect(parseCertificateNumber(event.data.number)).toEqual({ year: '2026', serial: 1_000_000 });
    });

    it('certifies a single day', () => {
      const [event] = spec(certificateDecider).given([]).when({ ...issue, from: '2026-03-10', to: '2026-03-10' }, ctx).thenEvents();
      expect(event.data).toMatchObject({ from: '2026-03-10', to: '2026-03-10' });
    });

    it('refuses a volunteer who does not exist', () => {
      spec(certificateDecider).given([]).when(issue, { now, volunteer: missingVolunteer }).thenRefuses('volunteer-not-found', 'not-found');
    });

    it('refuses a period that ends before it starts', () => {
      spec(certificateDecider).given([]).when({ ...issue, from: '2026-03-02', to: '2026-03-01' }, ctx).thenRefuses('period-reversed', 'invalid');
    });

    it('refuses a period that ends after today (Shanghai)', () => {
      spec(certificateDecider).given([]).when({ ...issue, to: '2026-03-11' }, ctx).thenRefuses('period-in-future', 'invalid');
    });

    it('refuses dates that are not calendar dates', () => {
      spec(certificateDecider).given([]).when({ ...issue, from: '2026-02-30' }, ctx).thenRefuses('date-invalid', 'invalid');
    });

    it('refuses a period without approved service', () => {
      spec(certificateDecider).given([]).when({ ...issue, service: { ...service, approvedMinutes: 0, byCategory: {}, records: 0 } }, ctx)
        .thenRefuses('no-approved-service', 'invalid');
    });

    it('refuses a malformed verification code or figures', () => {
      spec(certificateDecider).given([]).when({ ...issue, verificationCode: 'short' }, ctx).thenRefuses('verification-code-invalid', 'invalid');
      spec(certificateDecider).given([]).when({ ...issue, service: { ...service, approvedMinutes: -5 } }, ctx).thenRefuses('service-invalid', 'invalid');
    });
  });
});
