/**
 * kafkajs, loaded on first use: loading it takes about 0.1 s, and every
 * Haitang process loads this library (for its settings), most of them never
 * to talk to Kafka.
 */
let loaded: typeof import('kafkajs') | undefined;

export function kafkajs(): typeof import('kafkajs') {
  loaded ??= require('kafkajs') as typeof import('kafkajs');
  return loaded;
}
