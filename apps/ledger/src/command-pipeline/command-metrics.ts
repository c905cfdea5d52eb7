import { Counter } from 'prom-client';

export const commandsCounter = new Counter({
  name: 'haitang_commands_total',
  help: 'Commands handled, by command type and outcome (ok, refused).',
  labelNames: ['command', 'outcome'] as const,
});
