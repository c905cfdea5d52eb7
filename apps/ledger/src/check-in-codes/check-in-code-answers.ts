import { ApiProperty } from '@nestjs/swagger';
import { CommandAnswer } from '../command-pipeline/command-answer';

/** The answer of POST /activities/:id/check-in-codes: a code to show as a QR code. */
export class CheckInCodeAnswer {
  @ApiProperty({ type: String })
  activityId: string;

  @ApiProperty({ type: String, description: '`payload.signature`: what the volunteer’s phone sends back' })
  code: string;

  @ApiProperty({ type: String, description: 'The web console’s page for the code, `/check-in/<activityId>?code=…`: the QR code’s address' })
  path: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Check-in opens (an hour before the start)' })
  notBefore: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The code expires (at the end of the activity, or sooner)' })
  expiresAt: string;
}

/** The answer of POST /activities/:id/self-check-ins: the check-in of the signed-in volunteer. */
export class SelfCheckInAnswer extends CommandAnswer {
  @ApiProperty({ type: String, description: 'Who was checked in: the signed-in volunteer' })
  volunteerId: string;
}
