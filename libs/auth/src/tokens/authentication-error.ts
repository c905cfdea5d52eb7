/** A request whose credentials are missing or not accepted: answered 401. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    readonly code: 'token-missing' | 'token-invalid' | 'token-expired' | 'token-unknown-issuer' | 'token-without-role' | 'invalid-credentials' | 'account-disabled' | 'token-signed-out',
    message: string,
  ) {
    super(message);
  }
}
