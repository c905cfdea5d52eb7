import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type Account, type AccountRole, type AccountView, ROLES } from '@haitang/auth';

/** An account as clients see it (never its password hash): the answer of GET /sessions/current. */
export class AccountSummary implements AccountView {
  @ApiProperty({ type: String, description: 'The actor id of what the account does, in the log (`acct-…`)' })
  id: string;

  @ApiProperty({ type: String, example: 'taohuawu-staff' })
  username: string;

  @ApiProperty({ enum: ROLES, enumName: 'AccountRole' })
  role: AccountRole;

  @ApiProperty({ type: String, nullable: true, description: 'The unit an official or staff member works for' })
  orgUnitId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The volunteer a volunteer account belongs to' })
  volunteerId: string | null;

  @ApiProperty({ type: String })
  displayName: string;
}

/** The answer of POST /sessions (201). */
export class SessionAnswer {
  @ApiProperty({ type: String, description: 'The bearer token (a JWT)' })
  token: string;

  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ type: () => AccountSummary })
  account: AccountSummary;
}

/** The answer of DELETE /sessions/current. */
export class SignedOutAnswer {
  @ApiProperty({ type: Boolean, description: 'false for a token without an id (an identity provider’s): it is not refused, it only expires' })
  signedOut: boolean;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the token would have expired' })
  expiresAt: string;
}

/** The answer of POST /accounts (201, with a Location). */
export class CreatedAccountAnswer {
  @ApiProperty({ type: () => AccountSummary })
  account: AccountSummary;

  @ApiPropertyOptional({ type: String, description: 'The generated password, answered this once (absent when the request gave one)' })
  password?: string;
}

export class ListedAccount extends AccountSummary implements Pick<Account, 'createdAt' | 'createdBy'> {
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, description: 'Who created it (a username, or setup, demo, cli)' })
  createdBy: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Since when the account is disabled (null: it is not)' })
  disabledAt: string | null;
}

/** The answer of POST /accounts/:username/disabling and …/enabling. */
export class AccountStatusAnswer {
  @ApiProperty({ type: String })
  username: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Since when the account is disabled (null: it is enabled)' })
  disabledAt: string | null;
}

/** The answer of GET /accounts. */
export class AccountListAnswer {
  @ApiProperty({ type: String, nullable: true })
  orgUnitId: string | null;

  @ApiProperty({ type: () => ListedAccount, isArray: true })
  accounts: ListedAccount[];
}

/** The answer of POST /accounts/me/password. */
export class PasswordChangedAnswer {
  @ApiProperty({ type: String })
  username: string;

  @ApiProperty({ type: Boolean, enum: [true] })
  changed: true;
}

/** The answer of POST /accounts/:username/password-reset: the new password, answered this once. */
export class PasswordResetAnswer {
  @ApiProperty({ type: String })
  username: string;

  @ApiProperty({ type: String })
  password: string;
}
