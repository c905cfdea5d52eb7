import { invalid, notFound } from '../shared/domain-error';
import type { Decider, DecisionContext, DomainEvent } from '../shared/event';
import { isCalendarDate, shanghaiDate } from '../shared/time';
import type { VolunteerState } from '../volunteers/volunteer';

/**
 * Certificates of volunteer service (志愿服务证明, DESIGN §2): free, numbered,
 * and verifiable online. A certificate states what the ledger said of a
 * volunteer's approved service over a period when it was issued; verifying it
 * recomputes the same figures from the ledger as it is now (never from a
 * stored PDF), so a record corrected since shows.
 *
 * The certificate itself (`CertificateIssued`) is an event of the volunteer's
 * stream: their unit's audit trail shows who issued it, and the volunteer's
 * certificates are read from their stream. Numbers run per year of issue
 * (Asia/Shanghai): `2026-000042` is the 42nd of 2026. Each year has a register
 * stream, `certificates-2026`, where `CertificateNumbered` says whose
 * certificate each number is; its version checks make the numbers unique and
 * gap-free, and both events are appended together. A number alone opens
 * nothing: numbers are easy to guess, so verifying also takes the
 * certificate's verification code, printed on it beside the number.
 */

/** The volunteer as the certificate names them when it is issued (their display name, never personal data). */
export interface CertificateHolder {
  readonly displayName: string;
  /** Their home unit's name (null if the read models did not know it). */
  readonly homeOrgUnitName: string | null;
}

/** What the ledger said of the period when the certificate was issued. */
export interface CertifiedService {
  /** Approved minutes with a service date in the period. */
  readonly approvedMinutes: number;
  /** The same minutes by category code. */
  readonly byCategory: Readonly<Record<string, number>>;
  /** How many approved records they come from. */
  readonly records: number;
  /** The log position the figures were read at: every event up to it is counted. */
  readonly asOfPosition: number;
}

export type CertificateIssued = DomainEvent<'CertificateIssued.v1', {
  /** `YYYY-NNNNNN`: the year of issue and the certificate's place in that year's register. */
  number: string;
  /** Printed on the certificate; verifying takes it with the number. */
  verificationCode: string;
  volunteerId: string;
  /** The period, calendar dates (Asia/Shanghai), both included. */
  from: string;
  to: string;
} & CertificateHolder & CertifiedService>;
/** In the year's register: which volunteer's stream holds the certificate with this number. */
export type CertificateNumbered = DomainEvent<'CertificateNumbered.v1', { number: string; volunteerId: string }>;
export type CertificateEvent = CertificateIssued | CertificateNumbered;

export type IssueCertificate = {
  type: 'IssueCertificate';
  volunteerId: string;
  from: string;
  to: string;
  /** Random, made by the caller (the domain makes nothing random): see VERIFICATION_CODE. */
  verificationCode: string;
  /** The name and unit to print, read from the read models by the caller. */
  holder: CertificateHolder;
  /** The volunteer's approved service in the period, read from the read models by the caller. */
  service: CertifiedService;
};
export type CertificateCommand = IssueCertificate;

/** A register: how many certificates its year has issued so far. */
export interface CertificateRegisterState {
  readonly issued: number;
}

export interface CertificateContext extends DecisionContext {
  /** The volunteer the certificate is for. */
  readonly volunteer: VolunteerState;
}

/** Eight characters of an alphabet without look-alikes (no 0/O, 1/I/L): read off paper and typed without mistakes. */
export const VERIFICATION_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const VERIFICATION_CODE = new RegExp(`^[${VERIFICATION_CODE_ALPHABET}]{8}$`);
/** The year, then the place in its register: six digits, more (without leading zeros) from the millionth on. */
const NUMBER = /^(\d{4})-(\d{6}|[1-9]\d{6,8})$/;

/** The register stream of a year of issue. */
export const certificateRegisterStream = (year: string) => `certificates-${year}`;

/** A certificate number's register and place in it (1-based), or null for anything that is not a number. */
export function parseCertificateNumber(number: string): { year: string; serial: number } | null {
  const match = NUMBER.exec(number);
  if (!match || Number(match[2]) < 1) return null;
  return { year: match[1], serial: Number(match[2]) };
}

/** The register a certificate issued at `now` goes into. */
export const certificateYear = (now: Date): string => shanghaiDate(now).slice(0, 4);

const initialState: CertificateRegisterState = { issued: 0 };

function evolve(state: CertificateRegisterState, event: CertificateEvent): CertificateRegisterState {
  return event.type === 'CertificateNumbered.v1' ? { issued: state.issued + 1 } : state;
}

/** The register's entry for a certificate (appended to the year's register, with the certificate in the volunteer's stream). */
export const certificateNumbered = (issued: CertificateIssued): CertificateNumbered => ({
  type: 'CertificateNumbered.v1', data: { number: issued.data.number, volunteerId: issued.data.volunteerId },
});

/**
 * Decides a certificate on the year's register: [CertificateIssued], for the
 * volunteer's stream (its register entry is `certificateNumbered` of it).
 */
function decide(command: CertificateCommand, state: CertificateRegisterState, context: CertificateContext): CertificateEvent[] {
  const { volunteer, now } = context;
  if (!volunteer.exists) throw notFound('volunteer-not-found', '找不到该志愿者。(Volunteer not found.)');
  if (!isCalendarDate(command.from) || !isCalendarDate(command.to)) {
    throw invalid('date-invalid', '日期不对：应为真实存在的日期，写作 YYYY-MM-DD。(Not a real date written YYYY-MM-DD.)');
  }
  if (command.from > command.to) throw invalid('period-reversed', '开始日期不能晚于结束日期。(The period starts after it ends.)');
  const today = shanghaiDate(now);
  if (command.to > today) {
    throw invalid('period-in-future', `证明只能覆盖今天（${today}）及以前的服务。(A certificate covers service up to today, ${today}, not later.)`);
  }
  if (!VERIFICATION_CODE.test(command.verificationCode)) throw invalid('verification-code-invalid', 'Verification code malformed.');
  const { approvedMinutes, byCategory, records, asOfPosition } = command.service;
  if (!Number.isSafeInteger(approvedMinutes) || approvedMinutes < 0 || !Number.isSafeInteger(records) || records < 0) {
    throw invalid('service-invalid', 'Certified figures malformed.');
  }
  if (approvedMinutes === 0) {
    throw invalid('no-approved-service', '这段时间内没有已审核的服务时长，无法开具证明。(There is no approved service in this period to certify.)');
  }
  const year = certificateYear(now);
  return [{
    type: 'CertificateIssued.v1',
    data: {
      number: `${year}-${String(state.issued + 1).padStart(6, '0')}`,
      verificationCode: command.verificationCode,
      volunteerId: volunteer.id,
      from: command.from,
      to: command.to,
      displayName: command.holder.displayName,
      homeOrgUnitName: command.holder.homeOrgUnitName,
      approvedMinutes,
      byCategory: { ...byCategory },
      records,
      asOfPosition,
    },
  }];
}

export const certificateDecider: Decider<CertificateCommand, CertificateEvent, CertificateRegisterState, CertificateContext> = {
  initialState, evolve, decide,
};
