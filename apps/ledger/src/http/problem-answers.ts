import { applyDecorators } from '@nestjs/common';
import { ApiDefaultResponse, ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { FieldError, Problem } from './problem';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export class FieldErrorView implements FieldError {
  @ApiProperty({ type: String, description: 'The field at fault, e.g. `minutes` or `rows[3].orgUnitId`' })
  field: string;

  @ApiProperty({ type: String, description: '“中文。(English.)”' })
  message: string;
}

/** The body of every error answer (RFC 9457), as the OpenAPI document shows it. */
export class ProblemDetails implements Problem {
  @ApiProperty({ type: String, example: 'https://haitang.example/problems/volunteer-not-found' })
  type: string;

  @ApiProperty({ type: String, example: 'Not Found' })
  title: string;

  @ApiProperty({ type: 'integer', example: 404 })
  status: number;

  @ApiProperty({ type: String, description: 'What went wrong, “中文。(English.)”' })
  detail: string;

  @ApiProperty({ type: String, description: 'Stable and machine-readable, e.g. `volunteer-not-found`', example: 'volunteer-not-found' })
  code: string;

  @ApiPropertyOptional({ type: () => FieldErrorView, isArray: true, description: 'Validation errors, field by field' })
  errors?: FieldErrorView[];

  @ApiPropertyOptional({ type: String, description: 'The request path' })
  instance?: string;
}

/**
 * Declares the error answers of every route of a controller: RFC 9457
 * problem+json (ProblemDetails), whatever the status.
 */
export const ApiProblemAnswers = () => applyDecorators(
  ApiExtraModels(ProblemDetails),
  ApiDefaultResponse({
    description: 'An error: RFC 9457 problem details (400 bad input, 401, 403, 404, 409 refused by the ledger, 422, 429, 503 …)',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
  }),
);
