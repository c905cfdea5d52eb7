import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHINA_WORKING_DAYS } from '@haitang/domain';
import { loadConfig } from '../src/config';

describe('configuration: where the stores live', () => {
  it('keeps both stores in SQLite files unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ eventStore: { kind: 'sqlite' }, readStore: { kind: 'sqlite' } });
  });

  it('takes DATABASE_URL for PostgreSQL stores, or a URL of their own', () => {
    const shared = loadConfig({ HAITANG_EVENT_STORE: 'postgres', HAITANG_READ_STORE: 'postgres', DATABASE_URL: 'postgres://h@db:5432/haitang' });
    expect(shared).toMatchObject({ eventStore: { kind: 'postgres', url: 'postgres://h@db:5432/haitang' }, readStore: { kind: 'postgres', url: 'postgres://h@db:5432/haitang' } });
    const apart = loadConfig({
      HAITANG_EVENT_STORE: 'postgres', HAITANG_EVENT_STORE_URL: 'postgresql://h@ledger/events', HAITANG_READ_STORE: 'postgres', DATABASE_URL: 'postgres://h@reports/figures',
    });
    expect(apart).toMatchObject({ eventStore: { url: 'postgresql://h@ledger/events' }, readStore: { url: 'postgres://h@reports/figures' } });
    expect(loadConfig({ HAITANG_EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://h@db/x' }).readStore).toEqual({ kind: 'sqlite' });
  });

  it('keeps accounts and personal-data keys in SQLite files unless told to use PostgreSQL', () => {
    expect(loadConfig({}).authStore).toEqual({ kind: 'sqlite' });
    expect(loadConfig({ HAITANG_AUTH_STORE: 'postgres', DATABASE_URL: 'postgres://h@db/x' }).authStore).toEqual({ kind: 'postgres', url: 'postgres://h@db/x' });
    expect(loadConfig({ HAITANG_AUTH_STORE: 'postgres', HAITANG_AUTH_STORE_URL: 'postgres://h@auth/a', DATABASE_URL: 'postgres://h@db/x' }).authStore).toEqual({ kind: 'postgres', url: 'postgres://h@auth/a' });
    expect(() => loadConfig({ HAITANG_AUTH_STORE: 'postgres' })).toThrow(/HAITANG_AUTH_STORE_URL or DATABASE_URL/);
    expect(() => loadConfig({ HAITANG_AUTH_STORE: 'kurrentdb' })).toThrow(/HAITANG_AUTH_STORE must be sqlite or postgres/);
  });

  it('keeps the event log in KurrentDB when told, at KURRENTDB_URL, in a namespace of its own', () => {
    expect(loadConfig({ HAITANG_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://kurrentdb:2113?tls=false' }).eventStore)
      .toEqual({ kind: 'kurrentdb', url: 'kurrentdb://kurrentdb:2113?tls=false', namespace: 'haitang' });
    expect(loadConfig({ HAITANG_EVENT_STORE: 'KurrentDB', HAITANG_EVENT_STORE_URL: 'esdb+discover://a,b,c', HAITANG_KURRENTDB_NAMESPACE: 'gusu_2026' }).eventStore)
      .toEqual({ kind: 'kurrentdb', url: 'esdb+discover://a,b,c', namespace: 'gusu_2026' });
    expect(() => loadConfig({ HAITANG_EVENT_STORE: 'kurrentdb' })).toThrow(/set KURRENTDB_URL/);
    expect(() => loadConfig({ HAITANG_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://kurrentdb:2113' })).toThrow(/KURRENTDB_URL is not a KurrentDB connection string/);
    expect(() => loadConfig({ HAITANG_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://k:2113', HAITANG_KURRENTDB_NAMESPACE: 'gu-su' })).toThrow(/letters, digits and _ only/);
    expect(() => loadConfig({ HAITANG_READ_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://k:2113' })).toThrow(/HAITANG_READ_STORE must be sqlite or postgres/);
  });

  it('refuses at start what it cannot use, saying what to set', () => {
    expect(() => loadConfig({ HAITANG_EVENT_STORE: 'postgres' })).toThrow(/HAITANG_EVENT_STORE_URL or DATABASE_URL/);
    expect(() => loadConfig({ HAITANG_READ_STORE: 'mysql' })).toThrow(/HAITANG_READ_STORE must be sqlite or postgres/);
    expect(() => loadConfig({ HAITANG_EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://x@y/z' })).toThrow(/DATABASE_URL is not a postgres:\/\/ URL/);
    expect(() => loadConfig({ HAITANG_READ_STORE: 'postgres', HAITANG_READ_STORE_URL: 'not a url' })).toThrow(/HAITANG_READ_STORE_URL is not a postgres/);
    expect(() => loadConfig({ HAITANG_PROJECTOR: 'external' })).toThrow(/HAITANG_PROJECTOR=external needs HAITANG_READ_STORE=postgres/);
    expect(() => loadConfig({ HAITANG_PROJECTOR: 'elsewhere' })).toThrow(/HAITANG_PROJECTOR must be inside or external/);
    expect(() => loadConfig({ HAITANG_BUS: 'kafka', KAFKA_BROKERS: 'kafka:9092' })).toThrow(/HAITANG_BUS=kafka is for the projector processes/);
    expect(() => loadConfig({ HAITANG_BUS: 'carrier-pigeon' })).toThrow(/HAITANG_BUS must be store, inprocess or kafka/);
  });

  it('runs the projector thread at niceness 10 unless told otherwise, and refuses what is not a niceness', () => {
    expect(loadConfig({}).projectorNice).toBe(10);
    expect(loadConfig({ HAITANG_PROJECTOR_NICE: '0' }).projectorNice).toBe(0);
    expect(() => loadConfig({ HAITANG_PROJECTOR_NICE: '20' })).toThrow(/HAITANG_PROJECTOR_NICE must be a whole number from 0 to 19/);
    expect(() => loadConfig({ HAITANG_PROJECTOR_NICE: '-5' })).toThrow(/HAITANG_PROJECTOR_NICE/);
  });

  it('gives a stop 10 s unless told otherwise, and refuses what is not 1 to 600 seconds', () => {
    expect(loadConfig({}).shutdownTimeoutMs).toBe(10_000);
    expect(loadConfig({ HAITANG_SHUTDOWN_TIMEOUT: '3' }).shutdownTimeoutMs).toBe(3000);
    expect(() => loadConfig({ HAITANG_SHUTDOWN_TIMEOUT: '0' })).toThrow(/HAITANG_SHUTDOWN_TIMEOUT must be a whole number from 1 to 600/);
    expect(() => loadConfig({ HAITANG_SHUTDOWN_TIMEOUT: '1.5' })).toThrow(/HAITANG_SHUTDOWN_TIMEOUT/);
  });

  it('keeps the read models inside unless told that a separate projector does', () => {
    expect(loadConfig({}).projector).toBe('inside');
    expect(loadConfig({ HAITANG_READ_STORE: 'postgres', DATABASE_URL: 'postgres://h@db/x', HAITANG_PROJECTOR: 'External' }).projector).toBe('external');
  });

  it('counts working days by the built-in State Council schedules, plus the years of HAITANG_HOLIDAYS_FILE', () => {
    expect(loadConfig({}).workingDays).toBe(CHINA_WORKING_DAYS);
    const dir = mkdtempSync(join(tmpdir(), 'haitang-holidays-'));
    try {
      const file = join(dir, 'holidays.json');
      writeFileSync(file, JSON.stringify({ 2027: { daysOff: [['2027-02-05', '2027-02-13']], workdays: ['2027-02-20'] } }));
      const calendar = loadConfig({ HAITANG_HOLIDAYS_FILE: file }).workingDays;
      expect(calendar.years).toEqual([2025, 2026, 2027]);
      expect(calendar.isWorkingDay('2027-02-08')).toBe(false);
      expect(calendar.isWorkingDay('2027-02-20')).toBe(true);
      writeFileSync(file, '{"2027": {"daysOff": ["2027-13-01"], "workdays": []}}');
      expect(() => loadConfig({ HAITANG_HOLIDAYS_FILE: file })).toThrow(`HAITANG_HOLIDAYS_FILE ${file}: 2027.daysOff[0]: "2027-13-01" is not a date`);
      expect(() => loadConfig({ HAITANG_HOLIDAYS_FILE: join(dir, 'missing.json') })).toThrow(/HAITANG_HOLIDAYS_FILE: cannot read .*missing\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
