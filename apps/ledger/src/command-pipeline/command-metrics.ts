import { Counter } from 'prom-client';

export const commandsCounter = new Counter({
  name: 'haitang_commands_total',
  help: 'Commands handled, by command type and outcome (ok, refused).',
  labelNames: ['command', 'outcome'] as const,
});

export const retriesCounter = new Counter({
  name: 'haitang_command_retries_total',
  help: 'Times a command was decided again because another command changed the same stream first (a version conflict).',
});
