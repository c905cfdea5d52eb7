/** Every API route lives under /api/v1, except these operational ones. */
export const API_PREFIX = 'api/v1';
export const UNPREFIXED_ROUTES = ['health', 'metrics'];
