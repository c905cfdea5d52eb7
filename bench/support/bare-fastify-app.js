'use strict';
/**
 * SECOND BASELINE for bench/write-path.js: bare Fastify (no NestJS), the same
 * routes validating the same bodies with Fastify's own JSON-schema validation
 * (the rules of AttendanceDto and RecordServiceDto written as schemas), no
 * logging, answering {ok:true}. It shows what the framework layer itself costs.
 * Also GET /api/v1/volunteers/:id/hours answering a constant (for bench/read-side.js).
 *
 * Env: PORT, HOST (default 127.0.0.1).
 */
const Fastify = require('fastify');

const ID = '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$';
const INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';
const CATEGORIES = ['environment', 'digital-inclusion', 'anti-fraud', 'garbage-sorting', 'errand-escort', 'elder-rides',
  'safety-patrol', 'public-opinion', 'legal-aid', 'skills-training', 'other'];

const attendance = {
  type: 'object', additionalProperties: false, required: ['volunteerId'],
  properties: { volunteerId: { type: 'string', pattern: ID }, at: { type: 'string', pattern: INSTANT } },
};
const serviceRecord = {
  type: 'object', additionalProperties: false,
  required: ['volunteerId', 'orgUnitId', 'category', 'serviceDate', 'minutes', 'description'],
  properties: {
    volunteerId: { type: 'string', pattern: ID },
    orgUnitId: { type: 'string', pattern: ID },
    activityId: { type: 'string', pattern: ID },
    category: { enum: CATEGORIES },
    serviceDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    minutes: { type: 'integer', minimum: 1, maximum: 1440 },
    description: { type: 'string', minLength: 1, maxLength: 2000 },
    location: { type: 'string', maxLength: 200 },
    personInCharge: { type: 'string', maxLength: 50 },
  },
};
const idParam = { type: 'object', properties: { id: { type: 'string', pattern: ID } }, required: ['id'] };

const app = Fastify({ logger: false, ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
const ok = async () => ({ ok: true });
app.get('/health', async () => ({ status: 'ok' }));
// The read side's hours route (bench/read-side.js): the id and ?minPosition checked by schema, a constant answer of the real shape.
const consistency = { type: 'object', additionalProperties: false, properties: { minPosition: { type: 'string', pattern: '^\\d{1,16}$' } } };
const HOURS = {
  displayName: '张秀英', approvedMinutes: 2715, pendingMinutes: 90, approvedHours: 45.3,
  byCategory: { environment: 1200, 'digital-inclusion': 915, 'errand-escort': 600 }, byYear: { 2025: 1500, 2026: 1215 },
  starLevel: 0, nextStar: { level: 1, minutesToGo: 3285 }, projectedPosition: 1000000,
};
app.get('/api/v1/volunteers/:id/hours', { schema: { params: idParam, querystring: consistency } }, async (request) => ({ volunteerId: request.params.id, ...HOURS }));
app.post('/api/v1/activities/:id/check-ins', { schema: { body: attendance, params: idParam } }, ok);
app.post('/api/v1/activities/:id/check-outs', { schema: { body: attendance, params: idParam } }, ok);
app.post('/api/v1/service-records', { schema: { body: serviceRecord } }, async (_request, reply) => {
  reply.code(201);
  return { ok: true };
});

app.listen({ port: Number(process.env.PORT || 0), host: process.env.HOST || '127.0.0.1' }).catch((error) => {
  console.error(error);
  process.exit(1);
});
