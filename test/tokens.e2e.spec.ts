import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { client, freePort, type HaitangProcess, startHaitang } from './support/haitang-process';

/**
 * Bearer tokens over real HTTP against the built app: every kind of forged,
 * stale or foreign token is answered 401, and tokens of an OpenID Connect
 * provider are accepted when OIDC_ISSUER names it. The provider is a real
 * HTTP server started here, publishing its discovery document and its keys
 * (JWKS); the app fetches them itself.
 */

const LOCAL_ISSUER = 'urn:haitang';
const LOCAL_AUDIENCE = 'urn:haitang:api';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A tiny OpenID provider: discovery and JWKS, with an RSA and an EC signing key. */
async function startProvider(): Promise<{ issuer: string; rsa: KeyObject; ec: KeyObject; jwksRequests: () => number; close: () => Promise<void> }> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const keys = [
    { ...(await exportJWK(createPublicKey(rsa))), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(createPublicKey(ec))), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/realms/suzhou`;
  let jwks = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/realms/suzhou/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
    } else if (req.url === '/realms/suzhou/protocol/openid-connect/certs') {
      jwks++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { issuer, rsa, ec, jwksRequests: () => jwks, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('tokens: forged, stale and foreign ones are refused; an OIDC provider’s are accepted', () => {
  let dir: string;
  let app: HaitangProcess;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let admin: ReturnType<typeof client>;
  let serverKey: KeyObject;
  const ids: Record<string, string> = {};

  /** A token exactly like the server's own (same key, issuer, audience, claims) unless told otherwise. */
  const local = (claims: Record<string, unknown> = {}, options: { key?: KeyObject | Uint8Array; alg?: string; exp?: number; iat?: number; iss?: string; aud?: string } = {}) =>
    new SignJWT({ username: 'wang.li', role: 'staff', org_unit: ids.community, volunteer: null, name: '王丽', ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'EdDSA', typ: 'JWT' })
      .setIssuer(options.iss ?? LOCAL_ISSUER)
      .setAudience(options.aud ?? LOCAL_AUDIENCE)
      .setSubject('acct-0b6f6c1e-2a47-4d0e-9f55-6a1e1f0c2d3b')
      .setIssuedAt(options.iat ?? now())
      .setExpirationTime(options.exp ?? now() + 600)
      .sign(options.key ?? serverKey);

  const oidc = (claims: Record<string, unknown>, options: { key?: KeyObject | Uint8Array; alg?: string; kid?: string; exp?: number; aud?: string; iss?: string } = {}) =>
    new SignJWT({ name: '李明', preferred_username: 'liming', ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'rsa-1', typ: 'JWT' })
      .setIssuer(options.iss ?? provider.issuer)
      .setAudience(options.aud ?? 'haitang')
      .setSubject('f3a1c2d4-0000-4000-8000-000000000001')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? now() + 300)
      .sign(options.key ?? provider.rsa);

  const answer = async (token: string, path = `/volunteers/${ids.volunteer}/hours`) => {
    const r = await client(app.baseUrl, token).get(path);
    return { status: r.status, code: r.body?.code, type: r.headers.get('content-type'), challenge: r.headers.get('www-authenticate') };
  };
  const refused = (code: string) => ({ status: 401, code, type: 'application/problem+json; charset=utf-8', challenge: 'Bearer realm="haitang", error="invalid_token"' });

  beforeAll(async () => {
    provider = await startProvider();
    dir = mkdtempSync(join(tmpdir(), 'haitang-tokens-'));
    app = await startHaitang(dir, { OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: 'haitang', OIDC_ROLE_CLAIM: 'realm_access.roles' });
    admin = client(app.baseUrl, app.token);
    serverKey = createPrivateKey(readFileSync(join(dir, 'token-signing.key'), 'utf8'));
    const post = async (path: string, body: unknown) => {
      const r = await admin.post(path, body);
      if (r.status !== 201) throw new Error(`setup ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    };
    ids.district = await post('/org-units', { kind: 'district', name: '姑苏区' });
    ids.street = await post('/org-units', { kind: 'street', name: '金阊街道', parentId: ids.district });
    ids.community = await post('/org-units', { kind: 'community', name: '桃花坞社区', parentId: ids.street });
    ids.volunteer = await post('/volunteers', { homeOrgUnitId: ids.community, displayName: '俞阿姨' });
    ids.elsewhere = await post('/org-units', { kind: 'district', name: '相城区' });
    ids.stranger = await post('/volunteers', { homeOrgUnitId: ids.elsewhere, displayName: '老王' });
  });

  afterAll(async () => {
    await app?.stop();
    await provider?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a token made exactly like the server’s own (the control for every refusal below)', async () => {
    expect(await answer(await local())).toMatchObject({ status: 200 });
  });

  it('refuses an expired token', async () => {
    expect(await answer(await local({}, { iat: now() - 7200, exp: now() - 3600 }))).toEqual(refused('token-expired'));
  });

  it('refuses a token signed with another key', async () => {
    expect(await answer(await local({}, { key: generateKeyPairSync('ed25519').privateKey }))).toEqual(refused('token-invalid'));
  });

  it('refuses alg "none", with or without a signature part', async () => {
    const header = b64({ alg: 'none', typ: 'JWT' });
    const payload = b64({ role: 'admin', org_unit: null, volunteer: null, name: 'x', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: 'root', iat: now(), exp: now() + 600 });
    expect(await answer(`${header}.${payload}.`)).toEqual(refused('token-invalid'));
    const real = (await local()).split('.')[2];
    expect(await answer(`${header}.${payload}.${real}`)).toEqual(refused('token-invalid'));
  });

  it('refuses HS256 signed with the server’s public key as the secret (algorithm confusion), and RS256 with a key of one’s own', async () => {
    const publicPem = createPublicKey(serverKey).export({ type: 'spki', format: 'pem' }) as string;
    const publicDer = createPublicKey(serverKey).export({ type: 'spki', format: 'der' });
    for (const secret of [Buffer.from(publicPem), publicDer]) {
      expect(await answer(await local({ role: 'admin', org_unit: null }, { alg: 'HS256', key: new Uint8Array(secret) }))).toEqual(refused('token-invalid'));
    }
    const own = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await answer(await local({}, { alg: 'RS256', key: own }))).toEqual(refused('token-invalid'));
    // The same confusion against the identity provider: HS256 keyed with its published RSA key.
    const providerPem = createPublicKey(provider.rsa).export({ type: 'spki', format: 'pem' }) as string;
    expect(await answer(await oidc({ realm_access: { roles: ['admin'] } }, { alg: 'HS256', key: new Uint8Array(Buffer.from(providerPem)) }))).toEqual(refused('token-invalid'));
  });

  it('refuses an unknown issuer even when the signature is the server’s, and a foreign audience', async () => {
    expect(await answer(await local({}, { iss: 'https://evil.example/' }))).toEqual(refused('token-unknown-issuer'));
    expect(await answer(await local({}, { aud: 'someone-else' }))).toEqual(refused('token-invalid'));
    expect(await answer(await oidc({ realm_access: { roles: ['staff'] }, haitang_org_unit: ids.community }, { aud: 'another-app' }))).toEqual(refused('token-invalid'));
  });

  it('refuses a token whose role or unit was edited after signing', async () => {
    const [header, , signature] = (await local({ role: 'staff' })).split('.');
    const tampered = b64({ role: 'admin', org_unit: null, volunteer: null, name: '王丽', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: 'wang.li', iat: now(), exp: now() + 600 });
    expect(await answer(`${header}.${tampered}.${signature}`)).toEqual(refused('token-invalid'));
    const [h2, p2, s2] = (await oidc({ realm_access: { roles: ['staff'] }, haitang_org_unit: ids.community })).split('.');
    const moved = JSON.parse(Buffer.from(p2, 'base64url').toString());
    expect(await answer(`${h2}.${b64({ ...moved, haitang_org_unit: ids.elsewhere })}.${s2}`)).toEqual(refused('token-invalid'));
  });

  it('refuses junk: not a JWT, an empty bearer, another scheme', async () => {
    for (const token of ['abc', 'a.b.c', '....']) expect(await answer(token)).toEqual(refused('token-invalid'));
    // A well-formed token that names no issuer is nobody's.
    expect(await answer('eyJhbGciOiJFZERTQSJ9.e30.')).toEqual(refused('token-unknown-issuer'));
    const noToken = await client(app.baseUrl).get(`/volunteers/${ids.volunteer}/hours`);
    expect([noToken.status, noToken.body.code, noToken.headers.get('www-authenticate')]).toEqual([401, 'token-missing', 'Bearer realm="haitang"']);
    const basic = await client(app.baseUrl).call('GET', `/api/v1/volunteers/${ids.volunteer}/hours`, undefined, { authorization: 'Basic d2FuZzpsaQ==' });
    expect([basic.status, basic.body.code]).toEqual([401, 'token-invalid']);
  });

  it('accepts the identity provider’s tokens, mapping its claims to a role and a unit', async () => {
    const staff = await oidc({ realm_access: { roles: ['offline_access', 'staff'] }, haitang_org_unit: ids.community });
    const me = await client(app.baseUrl, staff).get('/sessions/current');
    expect(me.body).toEqual({ id: 'oidc:f3a1c2d4-0000-4000-8000-000000000001', username: 'liming', role: 'staff', orgUnitId: ids.community, volunteerId: null, displayName: '李明' });
    expect(await answer(staff)).toMatchObject({ status: 200 });
    expect(await answer(staff, `/volunteers/${ids.stranger}/hours`)).toMatchObject({ status: 403, code: 'out-of-scope' });
    // What it writes is recorded as theirs.
    const recorded = await client(app.baseUrl, staff).post('/service-records', {
      volunteerId: ids.volunteer, orgUnitId: ids.community, category: 'other', serviceDate: '2026-01-10', minutes: 30, description: '协助议事会',
    });
    expect(recorded.status).toBe(201);
    const events = (await admin.get(`/streams/record-${recorded.body.id}`)).body.events;
    expect(events[0].metadata.actor).toEqual({ id: 'oidc:f3a1c2d4-0000-4000-8000-000000000001', role: 'staff', orgUnitId: ids.community });

    // An EC key of the provider works as well; a volunteer maps to their volunteer id.
    const volunteer = await oidc({ realm_access: { roles: ['volunteer'] }, haitang_volunteer: ids.volunteer }, { alg: 'ES256', kid: 'ec-1', key: provider.ec });
    expect(await answer(volunteer)).toMatchObject({ status: 200 });
    expect(await answer(volunteer, `/volunteers/${ids.stranger}/hours`)).toMatchObject({ status: 403 });
    // The keys were fetched once and reused.
    expect(provider.jwksRequests()).toBe(1);
  });

  it('refuses the provider’s tokens that are expired, signed by a key it does not publish, or carry no single Haitang role', async () => {
    expect(await answer(await oidc({ realm_access: { roles: ['staff'] }, haitang_org_unit: ids.community }, { exp: now() - 120 }))).toEqual(refused('token-expired'));
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await answer(await oidc({ realm_access: { roles: ['admin'] } }, { key: stranger }))).toEqual(refused('token-invalid'));
    expect(await answer(await oidc({ realm_access: { roles: ['offline_access'] } }))).toEqual(refused('token-without-role'));
    expect(await answer(await oidc({ realm_access: { roles: ['staff', 'admin'] } }))).toEqual(refused('token-without-role'));
    // Staff without a unit claim cannot be placed anywhere.
    expect(await answer(await oidc({ realm_access: { roles: ['staff'] } }))).toEqual(refused('token-without-role'));
  });
});
