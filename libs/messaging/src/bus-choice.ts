/** How a projector gets the log (HAITANG_BUS), and where Kafka is. */
export type BusChoice =
  | { readonly kind: 'store' }
  | { readonly kind: 'kafka'; readonly brokers: readonly string[]; readonly topic: string; readonly replicationFactor: number };

export const DEFAULT_KAFKA_TOPIC = 'haitang.events';

/**
 * HAITANG_BUS = store (default; `inprocess` is the same: follow the event
 * store's log directly) | kafka (follow the topic a relay fills:
 * KAFKA_BROKERS=host:9092[,host:9092], HAITANG_KAFKA_TOPIC, HAITANG_KAFKA_REPLICATION).
 */
export function busChoice(env: NodeJS.ProcessEnv): BusChoice {
  const kind = (env.HAITANG_BUS ?? 'store').trim().toLowerCase();
  if (kind === 'store' || kind === 'inprocess' || kind === '') return { kind: 'store' };
  if (kind !== 'kafka') throw new Error(`HAITANG_BUS must be store, inprocess or kafka, got "${env.HAITANG_BUS}"`);
  return { kind: 'kafka', ...kafkaSettings(env) };
}

/** KAFKA_BROKERS and the topic settings, checked. */
export function kafkaSettings(env: NodeJS.ProcessEnv): { brokers: string[]; topic: string; replicationFactor: number } {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new Error('Kafka needs its brokers: set KAFKA_BROKERS=host:9092 (comma-separated for several)');
  for (const broker of brokers) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(broker)) throw new Error(`KAFKA_BROKERS: "${broker}" is not host:port`);
  }
  const topic = (env.HAITANG_KAFKA_TOPIC ?? DEFAULT_KAFKA_TOPIC).trim();
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new Error(`HAITANG_KAFKA_TOPIC: "${topic}" is not a Kafka topic name (letters, digits, . _ -)`);
  const replicationFactor = Number(env.HAITANG_KAFKA_REPLICATION ?? 1);
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) throw new Error(`HAITANG_KAFKA_REPLICATION must be a whole number ≥ 1, got "${env.HAITANG_KAFKA_REPLICATION}"`);
  return { brokers, topic, replicationFactor };
}
