import Ajv, { type ValidateFunction } from 'ajv';

/**
 * Holds the API to what its OpenAPI document says it answers: every answer a
 * suite receives is checked against the response schema that the live
 * /docs/openapi.json declares for its route, status and content type. An
 * answer fails when its route, status or content type is not documented, when
 * a documented field is missing or has another type (null included), and when
 * it carries a field the document does not name (objects are closed unless
 * the document says `additionalProperties`).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

interface MediaTypeObject { schema?: Schema }
interface ResponseObject { description?: string; content?: Record<string, MediaTypeObject> }
interface OperationObject { responses?: Record<string, ResponseObject> }
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

/** What the checker needs of an answer (test/support/haitang-process's Answer fits). */
export interface CheckedAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

const DOC_ID = 'haitang-openapi';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const isJsonMediaType = (type: string) => type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
const mediaTypeOf = (header: string | null) => (header ?? '').split(';')[0].trim().toLowerCase();

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv: `nullable` becomes a union
 * with null, references point into the document's schemas, examples go, and
 * objects with properties are closed unless they say otherwise.
 */
export function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace(/^#\/components\/schemas\//, `${DOC_ID}#/definitions/`);
    } else if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      // Property names are not schemas: convert each property's schema, keep the names.
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, toJsonSchema(s)]));
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return schema.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export class AnswerSchemas {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { method: string; path: string; pattern: RegExp; literal: number }[] = [];
  /** Operations (`GET /api/v1/activities/{id}`) with at least one success answer checked. */
  readonly answered = new Set<string>();

  constructor(readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    this.ajv.addFormat('date-time', ISO_INSTANT);
    this.ajv.addFormat('binary', true);
    const definitions = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)]));
    this.ajv.addSchema({ $id: DOC_ID, definitions });
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item).filter((m) => HTTP_METHODS.includes(m))) {
        const source = path.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
        this.templates.push({ method: method.toUpperCase(), path, pattern: new RegExp(`^${source}$`), literal: path.replace(/\{[^}]+\}/g, '').length });
      }
    }
    // The most literal template first: /accounts/me/password before /accounts/{username}/….
    this.templates.sort((a, b) => b.literal - a.literal);
  }

  /** Every documented operation, `METHOD /path/{param}`. */
  operations(): string[] {
    return this.templates.map((t) => `${t.method} ${t.path}`).sort();
  }

  /** The documented operation a request went to; throws when there is none. */
  operationOf(method: string, url: string): { key: string; operation: OperationObject } {
    const path = new URL(url, 'http://haitang.test').pathname;
    const template = this.templates.find((t) => t.method === method.toUpperCase() && t.pattern.test(path));
    if (!template) throw new Error(`${method} ${path}: no such operation in the OpenAPI document`);
    return { key: `${template.method} ${template.path}`, operation: this.document.paths[template.path][template.method.toLowerCase()] };
  }

  /**
   * Checks an answer against its route's documented response; throws an Error
   * that says what does not match (an undocumented route too).
   */
  check(method: string, url: string, answer: CheckedAnswer): void {
    const { key, operation } = this.operationOf(method, url);
    const where = `${key} (${method} ${url} answered ${answer.status})`;
    const responses = operation.responses ?? {};
    const documented = responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`] ?? (answer.status >= 400 ? responses.default : undefined);
    if (!documented) throw new Error(`${where}: the document declares no answer with this status (declared: ${Object.keys(responses).join(', ') || 'none'})`);
    const mediaType = mediaTypeOf(answer.headers.get('content-type'));
    if (!documented.content || Object.keys(documented.content).length === 0) {
      throw new Error(`${where}: the document declares no content for this answer (no response schema), but it is ${mediaType || 'empty'}`);
    }
    const content = Object.entries(documented.content).find(([type]) => mediaTypeOf(type) === mediaType)?.[1];
    if (!content) throw new Error(`${where}: answered ${mediaType || 'no content type'}; the document declares ${Object.keys(documented.content).join(', ')}`);
    if (!content.schema) throw new Error(`${where}: the document declares ${mediaType} without a schema`);
    if (isJsonMediaType(mediaType)) {
      const validate = this.validatorOf(`${key} ${answer.status} ${mediaType}`, content.schema);
      if (!validate(answer.body)) {
        const errors = (validate.errors ?? []).map((e) => `  ${e.instancePath || '(answer)'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
        throw new Error(`${where}: the answer does not match its documented schema:\n${errors.join('\n')}\nanswer: ${JSON.stringify(answer.body).slice(0, 2000)}`);
      }
    } else if (content.schema.type !== 'string') {
      throw new Error(`${where}: ${mediaType} is documented with a ${String(content.schema.type)} schema; a file or text answer is a string`);
    }
    if (answer.status < 400) this.answered.add(key);
  }

  private validatorOf(key: string, schema: Schema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** The OpenAPI document the app serves, as a checker of its answers. */
export async function answerSchemas(baseUrl: string): Promise<AnswerSchemas> {
  const response = await fetch(`${baseUrl}/docs/openapi.json`);
  if (!response.ok) throw new Error(`GET /docs/openapi.json answered ${response.status}`);
  return new AnswerSchemas(await response.json() as OpenApiDocument);
}
