import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandGateway } from '@haitang/ledger';
import { HaitangModule } from './app.module';
import { Presets, SingleBar } from 'cli-progress';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { ALL_PROJECTIONS, rebuildPostgresReadModels, rebuildReadModels } from '@haitang/read-store';
import { dataFile, loadConfig } from './config';
import { formatSummary, loadDemo } from './demo/load-demo';
import { ACCOUNT_STORE, AccountExistsError, type AccountStore, generatePassword, hashPassword, newAccount, normalizeUsername } from '@haitang/auth';
import { ensureFirstAdmin, printOnce } from './accounts/first-admin';
import { openAccountStore } from './infrastructure/auth-stores';
import { createDemoAccounts, formatDemoAccounts } from './demo/demo-accounts';
import { openEventLog } from './infrastructure/event-log';
import { seedStory } from './demo/seed-story';

const USAGE = `Usage: node dist/apps/haitang/src/cli.js <command>      (or: npm run demo, npm run rebuild, npm run admin -- <command>)

Commands:
  demo    Load the demo data of the seed story into HAITANG_DATA_DIR (default ./data):
          姑苏区 and 相城区 with their streets, towns and communities, the 红引擎,
          先锋骑行队, 小蜜蜂 and 银发老党员 teams, about 40 volunteers, and activities
          and service records from August to November 2026.
          Every demo command has a fixed id, so running it again adds nothing.
          Also creates one demo account per role (staff of 桃花坞社区, official of
          姑苏区, volunteer v-001) and prints their random passwords once.
  create-admin <username>
          Create an administrator account with a random password, printed once.
  reset-password <username>
          Give an existing account a new random password, printed once.
  enable <username>
          Enable a disabled account again (e.g. the last admin, disabled by another).
          Accounts are disabled with POST /api/v1/accounts/:username/disabling.
  rebuild Rebuild every read model (hours, dashboards, reports) from the event log:
          replays the log into fresh tables with a progress bar, then swaps them in
          in one step. A running Haitang keeps answering meanwhile and continues
          from the rebuilt figures.
  help    Show this text.
`;

/** Replays the log into fresh read models and swaps them in; safe while the server runs. */
async function rebuild(): Promise<void> {
  const config = loadConfig();
  const store = await openEventLog(config, 'haitang rebuild', { writerThread: false });
  const bar = new SingleBar({
    format: 'Rebuilding read models |{bar}| {percentage}% · {value}/{total} events · {rate} events/s · ETA {eta_formatted}',
    hideCursor: true,
  }, Presets.shades_classic);
  const started = Date.now();
  try {
    bar.start(Math.max(1, await store.headPosition()), 0, { rate: 0 });
    const onProgress = ({ projected, target }: { projected: number; target: number }) => {
      bar.setTotal(Math.max(1, target));
      bar.update(projected, { rate: Math.round(projected / Math.max(0.001, (Date.now() - started) / 1000)) });
    };
    const result = config.readStore.kind === 'postgres'
      ? await rebuildPostgresReadModels({ url: config.readStore.url, store, onProgress })
      : await rebuildReadModels({ store, readModelsFile: dataFile(config, 'readmodels.sqlite'), projections: ALL_PROJECTIONS, onProgress });
    bar.stop();
    console.log(`Rebuilt the read models from ${result.events} events (up to log position ${result.position}) in ${result.seconds.toFixed(1)} s.`);
  } finally {
    bar.stop();
    await store.close();
  }
}

/** Loads the demo through the same Nest module as the server, without listening on HTTP. */
async function demo(): Promise<void> {
  const config = loadConfig();
  // Nest's own logger, warnings and errors only: the server's pino logger is for HTTP requests.
  const app = await NestFactory.createApplicationContext(HaitangModule.forRoot(config), { logger: ['warn', 'error'] });
  try {
    const summary = await loadDemo(app.get(CommandGateway), app.get<symbol, EventStore>(EVENT_STORE), seedStory());
    console.log(formatSummary(summary, config.dataDir));
    const accounts = app.get<symbol, AccountStore>(ACCOUNT_STORE);
    await ensureFirstAdmin(accounts, config.auth);
    console.log(formatDemoAccounts(await createDemoAccounts(accounts)));
  } finally {
    await app.close();
  }
}

/** create-admin / reset-password / enable: works on the account store alone (file or PostgreSQL), also while Haitang runs. */
async function administer(command: 'create-admin' | 'reset-password' | 'enable', username: string): Promise<number> {
  const config = loadConfig();
  const store = await openAccountStore(config);
  const where = config.authStore.kind === 'postgres' ? 'the PostgreSQL account store' : config.dataDir;
  try {
    if (command === 'create-admin') {
      const { account, generatedPassword } = await newAccount({ username, role: 'admin', displayName: '管理员' }, 'cli');
      try {
        await store.create(account);
      } catch (error) {
        if (error instanceof AccountExistsError) {
          process.stderr.write(`The username "${account.username}" is taken. To give it a new password: reset-password ${account.username}\n`);
          return 1;
        }
        throw error;
      }
      printOnce('海棠 Haitang: administrator account created', [`username: ${account.username}`, `password: ${generatedPassword}`, '', 'This password is shown only this once.']);
      return 0;
    }
    const name = normalizeUsername(username);
    if (command === 'enable') {
      if (!(await store.setDisabled(name, null))) {
        process.stderr.write(`No account "${name}" in ${where}.\n`);
        return 1;
      }
      process.stdout.write(`The account "${name}" is enabled (a running Haitang accepts it within 5 seconds).\n`);
      return 0;
    }
    const password = generatePassword();
    if (!(await store.setPasswordHash(name, await hashPassword(password)))) {
      process.stderr.write(`No account "${name}" in ${where}.\n`);
      return 1;
    }
    const disabled = (await store.find(name))?.disabled ? ['', `The account is disabled: it signs in only once enabled again (enable ${name}).`] : [];
    printOnce('海棠 Haitang: new password', [`username: ${name}`, `password: ${password}`, '', 'This password is shown only this once; the old one no longer works', '(tokens signed in with it stay valid until they expire).', ...disabled]);
    return 0;
  } finally {
    await store.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if ((command === 'create-admin' || command === 'reset-password' || command === 'enable') && rest.length === 1) {
    return administer(command, rest[0]);
  }
  if (command === 'rebuild' && rest.length === 0) {
    await rebuild();
    return 0;
  }
  if (command !== 'demo' || rest.length > 0) {
    if (command !== undefined) process.stderr.write(`Unknown command: ${argv.join(' ')}\n\n`);
    process.stderr.write(USAGE);
    return 1;
  }
  await demo();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error('haitang:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
