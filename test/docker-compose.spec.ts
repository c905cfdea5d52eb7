import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../apps/haitang/src/config';
import { loadProjectorConfig } from '../apps/projector/src/config';
import { loadRelayConfig } from '../apps/relay/src/config';

const ROOT = join(__dirname, '..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | number | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

/** The compose file as Docker Compose reads it: ${VAR:-default} and ${VAR:?message} filled from `vars`, YAML merge keys applied. */
function composeFile(name: string, vars: Record<string, string>): Record<string, Service> {
  const text = readFileSync(join(ROOT, name), 'utf8').replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, variable: string, kind: string | undefined, rest: string) => {
    if (vars[variable] !== undefined) return vars[variable];
    if (kind === '?') throw new Error(`${name} needs ${variable}: ${rest}`);
    return kind === '-' ? rest : '';
  });
  return (load(text) as { services: Record<string, Service> }).services;
}

const env = (service: Service) => Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
const entry = (service: Service) => (service.command ?? ['node', 'dist/apps/haitang/src/main.js'])[1];
const ours = (services: Record<string, Service>) => Object.entries(services).filter(([, s]) => s.image === 'haitang:local');
const secrets = { HAITANG_MASTER_KEY: 'bWFzdGVyLWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=', HAITANG_ADMIN_PASSWORD: 'a-long-admin-password' };

/**
 * The Docker setups cannot be started on the machines Haitang is developed on
 * (no Docker engine), so this checks what can be checked without one: every
 * Haitang container's environment is one its process accepts, with the stores
 * and bus the file means, each command's program is built, each healthcheck
 * asks the port the process listens on, and every dependency exists.
 */
describe.each([
  ['docker-compose.yml', { eventStore: 'kurrentdb', bus: 'kafka', relay: true }],
  ['docker-compose.postgres.yml', { eventStore: 'postgres', bus: 'store', relay: false }],
] as const)('%s', (file, expected) => {
  const services = composeFile(file, secrets);

  it('refuses to start without the admin password and the master key', () => {
    expect(() => composeFile(file, { HAITANG_MASTER_KEY: secrets.HAITANG_MASTER_KEY })).toThrow(/HAITANG_ADMIN_PASSWORD/);
    expect(() => composeFile(file, { HAITANG_ADMIN_PASSWORD: secrets.HAITANG_ADMIN_PASSWORD })).toThrow(/HAITANG_MASTER_KEY/);
  });

  it('gives every Haitang process an environment it accepts, with the stores this setup means', () => {
    const programs = new Map<string, string[]>();
    for (const [name, service] of ours(services)) programs.set(entry(service), [...(programs.get(entry(service)) ?? []), name]);
    expect(Object.fromEntries(programs)).toEqual({
      'dist/apps/haitang/src/main.js': ['haitang-1', 'haitang-2'],
      'dist/apps/projector/src/main.js': ['projector-1', 'projector-2'],
      ...(expected.relay ? { 'dist/apps/relay/src/main.js': ['relay'] } : {}),
    });
    for (const [, service] of ours(services)) {
      const program = entry(service);
      expect(existsSync(join(ROOT, program.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
      const vars = env(service);
      if (program.includes('/haitang/')) {
        const config = loadConfig(vars);
        expect([config.eventStore.kind, config.readStore.kind, config.authStore.kind, config.projector]).toEqual([expected.eventStore, 'postgres', 'postgres', 'external']);
      } else if (program.includes('/projector/')) {
        const config = loadProjectorConfig(vars);
        expect([config.eventStore.kind, config.bus.kind]).toEqual([expected.eventStore, expected.bus]);
      } else {
        expect(loadRelayConfig(vars).eventStore.kind).toBe(expected.eventStore);
      }
    }
  });

  it('asks each process for its health on the port it listens on, and depends only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect([name, dependency in services]).toEqual([name, true]);
      if (service.image !== 'haitang:local' || !service.healthcheck) continue;
      const port = env(service).PORT;
      expect([name, service.healthcheck.test.join(' ')]).toEqual([name, expect.stringContaining(`http://127.0.0.1:${port}/health`)]);
    }
  });
});
