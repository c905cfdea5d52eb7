import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateRegisterStream, certificateYear, type IssueCertificate } from '@haitang/domain';
import { SqliteEventStore } from '@haitang/event-store';
import { CertificateCommandHandler } from '../src/certificates/certificate.handler';
import type { CommandContext } from '../src/command-pipeline/command-context';
import { DecisionRunner } from '../src/command-pipeline/decision-runner';
import { CertificateCommandMessage } from '../src/command-pipeline/ledger-command';

let n = 0;
function context(): CommandContext {
  n += 1;
  return { commandId: `cmd-${n}`, fingerprint: `fp-${n}`, correlationId: `corr-${n}`, actor: { id: 'staff', role: 'staff', orgUnitId: 'c1' }, now: new Date() };
}

const issue = (): IssueCertificate => ({
  type: 'IssueCertificate', volunteerId: 'v1', from: '2026-01-01', to: '2026-01-31', verificationCode: 'K7Q2M9XD',
  holder: { displayName: '王阿姨', homeOrgUnitName: '桃花坞社区' },
  service: { approvedMinutes: 90, byCategory: { environment: 90 }, records: 1, asOfPosition: 1 },
});

/**
 * Two ledger processes issuing at once (two runners with their own caches, one
 * store, as two API processes over one PostgreSQL or SQLite file): the
 * register's version check alone keeps the numbers unique and gap-free.
 */
describe('CertificateCommandHandler: two processes issuing at once', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-certificates-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    await store.append([{
      streamId: 'volunteer-v1', expectedVersion: -1,
      events: [{ eventId: 'e-v1', type: 'VolunteerRegistered.v1', data: { volunteerId: 'v1', displayName: '王阿姨', homeOrgUnitId: 'c1', partyMember: false, senior: true, occupation: 'other', personalData: null }, metadata: {} }],
    }]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every certificate its own number, with no gap', async () => {
    const processes = [new CertificateCommandHandler(new DecisionRunner(store)), new CertificateCommandHandler(new DecisionRunner(store))];
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => processes[i % 2].execute(new CertificateCommandMessage(issue(), context()))));
    const year = certificateYear(new Date());
    const numbers = outcomes.map((o) => o.result.number).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(6, '0')}`));
    const register = await store.readStream(certificateRegisterStream(year));
    expect(register.map((e) => (e.data as { number: string }).number)).toEqual(numbers);
  });
});
