import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { VERIFICATION_CODE } from '@haitang/domain';
import { CommandAnswer, IsCalendarDay } from '@haitang/ledger';

const MINUTES_BY_CATEGORY = { type: 'object', additionalProperties: { type: 'integer' }, description: 'Approved minutes by category code' } as const;

/** The body of POST /volunteers/:id/certificates. */
export class IssueCertificateDto {
  @ApiProperty({ example: '2026-01-01', description: 'First day of the period (Asia/Shanghai calendar date)' }) @IsString() @IsCalendarDay()
  from: string;

  @ApiProperty({ example: '2026-06-30', description: 'Last day of the period, included; today at the latest' }) @IsString() @IsCalendarDay()
  to: string;
}

/** The query of GET /certificates/:number. */
export class VerifyCertificateQuery {
  @ApiProperty({ example: 'K7Q2M9XD', description: 'The verification code printed on the certificate beside its number' })
  // Typed from paper: lower case is read as upper case.
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsString() @Matches(VERIFICATION_CODE, { message: 'code 应为证明上印的 8 位验证码。(code is the 8-character verification code printed on the certificate.)' })
  code: string;
}

/** What issuing answers (201): the certificate's number (also its id) and verification code. */
export class CertificateIssuedAnswer extends CommandAnswer {
  @ApiProperty({ example: '2026-000042', description: 'The certificate number: year of issue and place in that year’s register' })
  number: string;

  @ApiProperty({ example: 'K7Q2M9XD', description: 'Printed beside the number: verifying takes both' })
  verificationCode: string;
}

export class ServiceFiguresView {
  @ApiProperty({ type: 'integer' })
  approvedMinutes: number;

  @ApiProperty({ type: Number, description: 'approvedMinutes in hours, one decimal' })
  approvedHours: number;

  @ApiProperty(MINUTES_BY_CATEGORY)
  byCategory: Record<string, number>;

  @ApiProperty({ type: 'integer', description: 'How many approved service records the minutes come from' })
  records: number;
}

export class CertificateHolderView {
  @ApiProperty({ type: String })
  displayName: string;

  @ApiProperty({ type: String, nullable: true, description: 'The volunteer’s home unit' })
  homeOrgUnitName: string | null;
}

/** The answer of GET /certificates/:number (public). */
export class CertificateVerificationAnswer {
  @ApiProperty({ example: '2026-000042' })
  number: string;

  @ApiProperty({ type: CertificateHolderView, description: 'The volunteer as the certificate names them (at issue)' })
  volunteer: CertificateHolderView;

  @ApiProperty({ example: '2026-01-01' })
  from: string;

  @ApiProperty({ example: '2026-06-30' })
  to: string;

  @ApiProperty({ type: String, description: 'When the ledger recorded the certificate (ISO-8601 UTC)' })
  issuedAt: string;

  @ApiProperty({ type: ServiceFiguresView, description: 'What the certificate states (the ledger’s figures when it was issued)' })
  certified: ServiceFiguresView;

  @ApiProperty({ type: ServiceFiguresView, description: 'The same figures recomputed now from the ledger’s records (the read models, as far as `checkedAtPosition`)' })
  ledgerNow: ServiceFiguresView;

  @ApiProperty({ type: Boolean, description: 'true when the ledger still gives the certified figures; false when records of the period changed since (added, approved or corrected)' })
  matchesLedger: boolean;

  @ApiProperty({ type: 'integer', description: 'The log position the ledger’s figures were read at' })
  checkedAtPosition: number;
}

/** One certificate of GET /volunteers/:id/certificates. */
export class IssuedCertificateView {
  @ApiProperty({ example: '2026-000042' })
  number: string;

  @ApiProperty({ example: 'K7Q2M9XD' })
  verificationCode: string;

  @ApiProperty({ example: '2026-01-01' })
  from: string;

  @ApiProperty({ example: '2026-06-30' })
  to: string;

  @ApiProperty({ type: 'integer', description: 'The approved minutes it certifies' })
  approvedMinutes: number;

  @ApiProperty({ type: Number })
  approvedHours: number;

  @ApiProperty({ type: String, description: 'When the ledger recorded it (ISO-8601 UTC)' })
  issuedAt: string;
}

/** The answer of GET /volunteers/:id/certificates. */
export class VolunteerCertificatesAnswer {
  @ApiProperty({ type: String })
  volunteerId: string;

  @ApiProperty({ type: IssuedCertificateView, isArray: true, description: 'Newest first' })
  certificates: IssuedCertificateView[];
}
