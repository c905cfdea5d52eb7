export * from './ledger.module';
export * from './command-pipeline/command-context';
export * from './command-pipeline/command-gateway';
export * from './command-pipeline/ledger-command';
export * from './http/problem';
export * from './http/problem-details.filter';
export * from './http/validation';
export * from './http/correlation';
