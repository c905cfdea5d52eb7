/**
 * For suites that need a real Kafka broker. None can be started here (it runs
 * in Docker or as a service), so they run only when KAFKA_BROKERS names one,
 * e.g. localhost:9092, and are skipped otherwise (jest's globalSetup says so in
 * one line per run). Each suite takes topics of its own.
 */
export const kafkaBrokers: string | undefined = process.env.KAFKA_BROKERS?.trim() || undefined;

/** `describe` when KAFKA_BROKERS is set, `describe.skip` otherwise. */
export const describeKafka: jest.Describe = kafkaBrokers ? describe : describe.skip;
