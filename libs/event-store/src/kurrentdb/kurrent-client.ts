/** The KurrentDB client's module (types only here: see kurrentClient). */
export type KurrentClientModule = typeof import('@kurrent/kurrentdb-client');

let loaded: KurrentClientModule | undefined;

/**
 * The KurrentDB client, loaded on first use. Requiring it takes about 0.4 s
 * (gRPC, generated protobuf code, a native module), and this library's index
 * is imported by every app and test suite, nearly all of which never talk to
 * KurrentDB: only the KurrentDB adapter pays for it, when it opens.
 */
export function kurrentClient(): KurrentClientModule {
  return (loaded ??= require('@kurrent/kurrentdb-client') as KurrentClientModule);
}
