import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { CommandGateway } from '@haitang/ledger';
import { HaitangModule } from './app.module';
import { loadConfig } from './config';
import { formatSummary, loadDemo } from './demo/load-demo';
import { seedStory } from './demo/seed-story';

const USAGE = `Usage: node dist/apps/haitang/src/cli.js <command>      (or: npm run demo)

Commands:
  demo    Load the demo data of the seed story into HAITANG_DATA_DIR (default ./data):
          姑苏区 and 相城区 with their streets, towns and communities, the 红引擎,
          先锋骑行队, 小蜜蜂 and 银发老党员 teams, about 40 volunteers, and activities
          and service records from August to November 2026.
          Every demo command has a fixed id, so running it again adds nothing.
  help    Show this text.
`;

/** Loads the demo through the same Nest module as the server, without listening on HTTP. */
async function demo(): Promise<void> {
  const config = loadConfig();
  // Nest's own logger, warnings and errors only: the server's pino logger is for HTTP requests.
  const app = await NestFactory.createApplicationContext(HaitangModule.forRoot(config), { logger: ['warn', 'error'] });
  try {
    const summary = await loadDemo(app.get(CommandGateway), app.get<symbol, EventStore>(EVENT_STORE), seedStory());
    console.log(formatSummary(summary, config.dataDir));
  } finally {
    await app.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
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
