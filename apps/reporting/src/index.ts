export * from './reporting.module';
export * from './reporting.tokens';
export * from './web-console/web-console';
