import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsString, MaxLength, MinLength } from 'class-validator';
import { IsId } from '../http/validators';

export class ImportFileDto {
  @ApiProperty({ description: 'The unit the records belong to (for rows without a 组织单位编号 column)' }) @IsString() @IsId()
  orgUnitId: string;

  @ApiProperty({ example: '2025年服务记录.xlsx' }) @IsString() @MinLength(1) @MaxLength(200)
  fileName: string;

  @ApiProperty({ description: 'The .xlsx or .csv file (UTF-8 or GB18030), base64-encoded; at most 5,000 rows' })
  @IsString() @MinLength(1) @IsBase64()
  content: string;
}
