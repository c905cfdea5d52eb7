export * from './event-bus.port';
export * from './ordered-delivery';
export * from './relay';
export * from './log-via-bus';
export * from './in-process/in-process-event-bus';
export * from './kafka/kafka-event-bus';
export * from './bus-choice';
