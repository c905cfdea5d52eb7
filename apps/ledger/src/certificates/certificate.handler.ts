import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  certificateDecider, type CertificateIssued, certificateNumbered, certificateRegisterStream, certificateYear, volunteerDecider, volunteerStream,
} from '@haitang/domain';
import { DecisionRunner } from '../command-pipeline/decision-runner';
import { CertificateCommandMessage } from '../command-pipeline/ledger-command';

/**
 * Issues a certificate: the certificate into the volunteer's stream, its number
 * into the year's register, in one append. The register's version check
 * makes every number unique: two certificates issued at once are decided on
 * the same register, one append wins, and the other is decided again on the
 * register that now holds the first, so it takes the next number. Within this
 * process they are issued one at a time (issuing is rare, and a batch issued
 * at once would otherwise retry once per certificate ahead of it); only
 * another process's certificate can make one be decided again.
 */
@CommandHandler(CertificateCommandMessage)
export class CertificateCommandHandler implements ICommandHandler<CertificateCommandMessage> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly runner: DecisionRunner) {}

  execute(message: CertificateCommandMessage) {
    const issued = this.queue.then(() => this.issue(message));
    this.queue = issued.catch(() => undefined);
    return issued;
  }

  private issue({ command, context }: CertificateCommandMessage) {
    return this.runner.run(context, async (load) => {
      const volunteer = await load(volunteerDecider, volunteerStream(command.volunteerId));
      const register = await load(certificateDecider, certificateRegisterStream(certificateYear(context.now)));
      const [issued] = certificateDecider.decide(command, register.state, { now: context.now, volunteer: volunteer.state }) as [CertificateIssued];
      const { number, verificationCode } = issued.data;
      // One atomic append: the number in the register, the certificate in the volunteer's stream.
      return {
        appends: [{ stream: register, events: [certificateNumbered(issued)] }, { stream: volunteer, events: [issued] }],
        result: { id: number, number, verificationCode },
      };
    });
  }
}
