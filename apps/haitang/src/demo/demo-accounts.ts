import { type AccountRequest, type AccountStore, newAccount } from '@haitang/auth';
import { DEMO_VOLUNTEERS } from './seed-story';

const v001 = DEMO_VOLUNTEERS.find((v) => v.id === 'v-001')!;

/** One account per role besides admin, so that a newcomer can tour every view. */
export const DEMO_ACCOUNTS: readonly (AccountRequest & { what: string })[] = [
  { username: 'taohuawu-staff', role: 'staff', orgUnitId: 'taohuawu', displayName: '桃花坞社区工作人员', what: 'staff of 桃花坞社区 (reads and writes 桃花坞社区)' },
  { username: 'gusu-official', role: 'official', orgUnitId: 'gusu', displayName: '姑苏区志愿服务负责人', what: 'official of 姑苏区 (reads the whole district, writes nothing)' },
  { username: 'volunteer-v001', role: 'volunteer', volunteerId: v001.id, displayName: v001.name, what: `volunteer ${v001.id} ${v001.name} (own hours and records, self-reports)` },
];

export interface DemoAccountOutcome {
  readonly username: string;
  readonly what: string;
  /** The new password, or null when the account existed already (its password is left alone). */
  readonly password: string | null;
}

/** Creates the demo accounts that do not exist yet, each with a random password (never a fixed one). */
export async function createDemoAccounts(store: AccountStore): Promise<DemoAccountOutcome[]> {
  const outcomes: DemoAccountOutcome[] = [];
  for (const { what, ...request } of DEMO_ACCOUNTS) {
    if (await store.find(request.username)) {
      outcomes.push({ username: request.username, what, password: null });
      continue;
    }
    const { account, generatedPassword } = await newAccount(request, 'demo');
    await store.create(account);
    outcomes.push({ username: account.username, what, password: generatedPassword });
  }
  return outcomes;
}

export function formatDemoAccounts(outcomes: readonly DemoAccountOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.username.length));
  return [
    'Demo accounts (sign in with POST /api/v1/sessions; passwords are shown only when created):',
    ...outcomes.map((o) => `  ${o.username.padEnd(width)}  ${o.password ?? '(created earlier: password unchanged; npm run admin -- reset-password ' + o.username + ')'}  ${o.what}`),
  ].join('\n');
}
