import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class IssueCheckInCodeDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1440, description: 'How long the code stays valid (default: until the activity ends). A short code shown on a screen and refreshed is harder to pass around.' })
  @IsOptional() @IsInt() @Min(1) @Max(1440)
  validMinutes?: number;
}

export class SelfCheckInDto {
  @ApiProperty({ description: 'The code from the QR code shown at the venue' }) @IsString() @MinLength(1) @MaxLength(600)
  code: string;
}
