import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ORG_UNIT_KINDS, type OrgUnitKind } from '@haitang/domain';
import { IsId } from '../http/validators';

export class RegisterOrgUnitDto {
  @ApiProperty({ enum: ORG_UNIT_KINDS, example: 'community' })
  @IsIn(ORG_UNIT_KINDS)
  kind: OrgUnitKind;

  @ApiProperty({ example: '桃花坞社区', maxLength: 100 })
  @IsString() @MinLength(1) @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ description: 'The street/town of a community, the district of a street or town.' })
  @IsOptional() @IsString() @IsId()
  parentId?: string;
}

export class RenameOrgUnitDto {
  @ApiProperty({ example: '桃花坞社区', maxLength: 100 })
  @IsString() @MinLength(1) @MaxLength(100)
  name: string;
}
