import { randomInt, timingSafeEqual } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, param, Public, volunteer } from '@haitang/auth';
import {
  type CertificateIssued, type CertificateNumbered, certificateRegisterStream, parseCertificateNumber, VERIFICATION_CODE_ALPHABET, volunteerStream,
} from '@haitang/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@haitang/event-store';
import {
  answer, ApiCommandAnswer, ApiProblemAnswers, CertificateCommandMessage, CommandGateway, ParseIdPipe, problem, ProblemException,
} from '@haitang/ledger';
import { PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels, type ServiceInPeriod, serviceInPeriod } from '@haitang/read-store';
import {
  CertificateIssuedAnswer, CertificateVerificationAnswer, IssueCertificateDto, type ServiceFiguresView, VerifyCertificateQuery, VolunteerCertificatesAnswer,
} from './certificate-answers';

const volunteerNotFound = () => new ProblemException(problem(404, 'volunteer-not-found', '找不到该志愿者。(Volunteer not found.)'));
const certificateNotFound = () => new ProblemException(problem(404, 'certificate-not-found',
  '找不到这份证明，请核对证明编号和验证码。(No certificate has this number and verification code: check both against the certificate.)'));

/** A fresh verification code: eight characters drawn uniformly from the alphabet without look-alikes. */
function verificationCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += VERIFICATION_CODE_ALPHABET[randomInt(VERIFICATION_CODE_ALPHABET.length)];
  return code;
}

const figures = (service: ServiceInPeriod): ServiceFiguresView => ({
  approvedMinutes: service.approvedMinutes,
  approvedHours: Math.round(service.approvedMinutes / 6) / 10,
  byCategory: service.byCategory,
  records: service.records,
});

const sameFigures = (a: ServiceInPeriod, b: ServiceInPeriod) => a.approvedMinutes === b.approvedMinutes && a.records === b.records
  && Object.keys({ ...a.byCategory, ...b.byCategory }).every((k) => a.byCategory[k] === b.byCategory[k]);

/**
 * Certificates of volunteer service (志愿服务证明): issued from the read models'
 * figures once they include everything the log holds, recorded in the ledger
 * (CertificateIssued), and verified by anyone who has the number and the
 * verification code, against the ledger as it is now.
 */
@ApiTags('certificates')
@ApiProblemAnswers()
@Controller()
export class CertificatesController {
  constructor(
    private readonly gateway: CommandGateway,
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
  ) {}

  @Post('volunteers/:id/certificates')
  @ApiBearerAuth()
  @Access({ action: 'write', roles: ['staff', 'volunteer'], scope: [volunteer(param('id'))] })
  @ApiOperation({ summary: 'Issue a certificate of the volunteer’s approved service over a period (free; numbered; verifiable online)' })
  @ApiCommandAnswer(201, CertificateIssuedAnswer, { location: true })
  async issue(@Param('id', ParseIdPipe) id: string, @Body() dto: IssueCertificateDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const context = this.gateway.contextOf(req);
    // Everything acknowledged so far is counted: the figures are read once the read models reach the log's head.
    // (A repeat of a certificate already issued is answered its first answer by the ledger: no need to wait.)
    const repeat = await this.log.getReceipt(context.commandId);
    if (!repeat && !(await this.progress.waitFor(await this.log.headPosition(), 5000))) {
      throw new ProblemException(problem(503, 'read-models-behind', '统计数据正在更新，请稍后再试。(The figures are still catching up; retry in a moment.)'), { 'retry-after': '1' });
    }
    const asOfPosition = this.progress.position;
    const service = await serviceInPeriod(this.db, id, dto.from, dto.to);
    if (!service) throw volunteerNotFound();
    const { approvedMinutes, byCategory, records, displayName, homeOrgUnitName } = service;
    const outcome = await this.gateway.execute(new CertificateCommandMessage({
      type: 'IssueCertificate', volunteerId: id, from: dto.from, to: dto.to, verificationCode: verificationCode(),
      holder: { displayName, homeOrgUnitName }, service: { approvedMinutes, byCategory, records, asOfPosition },
    }, context));
    const { number, verificationCode: code } = outcome.result;
    return answer(reply, outcome, `/api/v1/certificates/${number}?code=${code}`);
  }

  @Get('certificates/:number')
  @Public()
  @ApiOperation({ summary: 'Verify a certificate (public): what it states, and the same figures recomputed from the ledger now' })
  @ApiOkResponse({ type: CertificateVerificationAnswer })
  async verify(@Param('number') number: string, @Query() query: VerifyCertificateQuery): Promise<CertificateVerificationAnswer> {
    const place = parseCertificateNumber(number);
    if (!place) {
      const message = '证明编号的格式是 年份-六位序号，例如 2026-000042。(A certificate number looks like 2026-000042.)';
      throw new ProblemException(problem(400, 'certificate-number-invalid', message, [{ field: 'number', message }]));
    }
    const issuedEvent = await this.certificate(number, place);
    const issued = issuedEvent ? (issuedEvent.data as CertificateIssued['data']) : null;
    // The same answer for an unknown number and a wrong code: a guessed number reveals nothing.
    if (!issued || issued.number !== number || !sameCode(issued.verificationCode, query.code)) throw certificateNotFound();
    const checkedAtPosition = this.progress.position;
    const now = await serviceInPeriod(this.db, issued.volunteerId, issued.from, issued.to);
    if (!now) throw certificateNotFound();
    return {
      number,
      // As printed: the name and unit at issue (today's for a certificate recorded without them, as the first builds of this feature did).
      volunteer: { displayName: issued.displayName ?? now.displayName, homeOrgUnitName: issued.homeOrgUnitName === undefined ? now.homeOrgUnitName : issued.homeOrgUnitName },
      from: issued.from,
      to: issued.to,
      issuedAt: issuedEvent!.recordedAt,
      certified: figures(issued),
      ledgerNow: figures(now),
      matchesLedger: sameFigures(issued, now),
      checkedAtPosition,
    };
  }

  @Get('volunteers/:id/certificates')
  @ApiBearerAuth()
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: [volunteer(param('id'))] })
  @ApiOperation({ summary: 'The certificates issued to a volunteer, newest first, with their numbers and verification codes' })
  @ApiOkResponse({ type: VolunteerCertificatesAnswer })
  async list(@Param('id', ParseIdPipe) id: string): Promise<VolunteerCertificatesAnswer> {
    const stream = await this.log.readStream(volunteerStream(id));
    if (stream.length === 0) throw volunteerNotFound();
    const certificates = stream.filter((e) => e.type === 'CertificateIssued.v1').reverse().map((e) => {
      const c = e.data as CertificateIssued['data'];
      return {
        number: c.number, verificationCode: c.verificationCode, from: c.from, to: c.to,
        approvedMinutes: c.approvedMinutes, approvedHours: Math.round(c.approvedMinutes / 6) / 10, issuedAt: e.recordedAt,
      };
    });
    return { volunteerId: id, certificates };
  }

  /** The certificate the year's register says `number` is: one event of the register, then the volunteer's stream; null if none. */
  private async certificate(number: string, place: { year: string; serial: number }): Promise<RecordedEvent | null> {
    const [entry] = await this.log.readStream(certificateRegisterStream(place.year), place.serial - 1, 1);
    if (entry?.type !== 'CertificateNumbered.v1') return null;
    const { number: entered, volunteerId } = entry.data as CertificateNumbered['data'];
    if (entered !== number) return null;
    const stream = await this.log.readStream(volunteerStream(volunteerId));
    return stream.find((e) => e.type === 'CertificateIssued.v1' && (e.data as CertificateIssued['data']).number === number) ?? null;
  }
}

function sameCode(stored: string, given: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
