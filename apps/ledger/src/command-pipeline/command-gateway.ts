import { Inject, Injectable } from '@nestjs/common';
import { type Command, CommandBus } from '@nestjs/cqrs';
import { hash } from 'node:crypto';
import { newId } from '../http/ids';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { actorOf, principalOf } from '@haitang/auth';
import { type CommandReceipt, DuplicateCommandError, EVENT_STORE, type EventStore } from '@haitang/event-store';
import { correlationIdOf } from '../http/correlation';
import { problem, ProblemException } from '../http/problem';
import type { CommandContext, CommandOutcome } from './command-context';
import { commandsCounter } from './command-metrics';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

function withoutFields(body: unknown, fields: readonly string[]): unknown {
  if (fields.length === 0 || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !fields.includes(key)));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Turns an HTTP request into a command context and runs the command exactly once
 * per Idempotency-Key: a repeat answers the first answer (from the receipt stored
 * with the events, so it survives restarts), the same key with another request
 * is refused, and two identical requests racing each other append once. The
 * receipt is looked up only when it matters: the append itself refuses a known
 * key, and a refused command checks whether it is a repeat.
 */
@Injectable()
export class CommandGateway {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @InjectPinoLogger('commands') private readonly logger: PinoLogger,
  ) {}

  /**
   * The command context of a request; its actor is the caller the access guard
   * verified. `secretFields` are left out of the request's fingerprint: personal
   * data must not be kept even hashed (a phone number's hash is quickly
   * reversed), because a receipt outlives the erasure of the data.
   */
  contextOf(request: FastifyRequest, secretFields: readonly string[] = []): CommandContext {
    const principal = principalOf(request.raw);
    if (!principal) throw new ProblemException(problem(401, 'token-missing', '请先登录。(Sign in first.)'));
    const actor = actorOf(principal);
    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !KEY_PATTERN.test(key))) {
      throw new ProblemException(problem(400, 'bad-idempotency-key', 'Idempotency-Key 应为 1 到 200 个可见字符。(Idempotency-Key must be 1–200 visible ASCII characters.)'));
    }
    const commandId = (key as string | undefined) ?? newId();
    // crypto.hash: the one-shot digest, without a Hash object per request.
    const fingerprint = hash('sha256', `${request.method} ${request.url}\n${actor.id}\n${canonicalJson(withoutFields(request.body ?? null, secretFields))}`, 'base64url');
    return {
      commandId,
      fingerprint,
      correlationId: correlationIdOf(request.raw),
      actor,
      now: new Date(),
    };
  }

  async execute<R extends Record<string, unknown>>(
    message: Command<CommandOutcome<R>> & { context: CommandContext; command: { type: string } },
  ): Promise<CommandOutcome<R>> {
    const { context } = message;
    const type = message.command.type;
    const log = { command: type, commandId: context.commandId, correlationId: context.correlationId, actor: context.actor.id };
    try {
      const outcome = await this.commandBus.execute(message);
      commandsCounter.inc({ command: type, outcome: 'ok' });
      this.logger.info({ ...log, position: outcome.position }, 'command recorded');
      return outcome;
    } catch (error) {
      // A repeat is recognised when it tries to store its receipt (the append refuses the known key)…
      if (error instanceof DuplicateCommandError) return this.replay<R>(error.receipt, context, log);
      // …or, when the repeat is refused before that (a check-in sent twice is "already checked in"), here.
      // A store that cannot answer this either (it just failed the command) leaves the command's own error
      // to be answered: it says best whether anything was recorded.
      const prior = await this.store.getReceipt(context.commandId).catch(() => null);
      if (prior) return this.replay<R>(prior, context, log);
      commandsCounter.inc({ command: type, outcome: 'refused' });
      this.logger.info({ ...log, refused: (error as { code?: string }).code ?? (error as Error).name }, 'command refused');
      throw error;
    }
  }

  /** The first answer to this command's key: the same command (same fingerprint) answered it, so it has the shape R. */
  private replay<R extends Record<string, unknown>>(receipt: CommandReceipt, context: CommandContext, log: Record<string, unknown>): CommandOutcome<R> {
    this.logger.info({ ...log, position: receipt.position, replayed: receipt.fingerprint === context.fingerprint }, 'command repeated');
    if (receipt.fingerprint !== context.fingerprint) {
      throw new ProblemException(problem(422, 'idempotency-key-reused',
        '这个 Idempotency-Key 已用于另一个请求，请为新请求换一个新的键。(This Idempotency-Key was used for a different request.)'));
    }
    return { result: receipt.result as R, position: receipt.position, replayed: true };
  }
}

/** Writes a command's answer: `{ ...result, position }`, 201 + Location for creates. */
export function answer<R extends Record<string, unknown>>(reply: FastifyReply, outcome: CommandOutcome<R>, location?: string): R & { position: number } {
  if (location) void reply.status(201).header('location', location);
  if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
  return { ...outcome.result, position: outcome.position };
}
