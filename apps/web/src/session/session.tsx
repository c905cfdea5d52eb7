import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, read, useToken, type Schema } from '../api/client';
import { forgetRefused, outboxUser } from '../api/outbox';
import { navigate } from '../router';

const STORAGE_KEY = 'haitang.session';

/** What signing in answers: the token and the account (as the API's OpenAPI document describes them). */
type Session = Schema<'SessionAnswer'>;
/** A signed-in account. */
export type Account = Schema<'AccountSummary'>;

interface SessionContext {
  session: Session | null;
  signIn(username: string, password: string): Promise<Session>;
  signOut(): void;
}

const Context = createContext<SessionContext | null>(null);

function stored(): Session | null {
  try {
    const session = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    if (session && typeof session.token === 'string' && Date.parse(session.expiresAt) > Date.now()) return session;
  } catch {
    /* a damaged entry: signed out */
  }
  localStorage.removeItem(STORAGE_KEY);
  return null;
}

/** The signed-in account and its token (kept on this device until it expires or the user signs out). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(stored);

  /**
   * Forgets the session on this device, if it is still the one with this token (another tab
   * may have signed in afresh meanwhile: its session stays).
   */
  const forget = useCallback((token?: string) => {
    if (token === undefined || stored()?.token === token) localStorage.removeItem(STORAGE_KEY);
    setSession(stored());
  }, []);

  /** Signs out: the server refuses the token from now on (a shared computer), and this device forgets it. */
  const signOut = useCallback(() => {
    const token = session?.token;
    // Sent with the token it signs out, before it is forgotten, and delivered even if the tab is closed at once
    // (keepalive); a failure (offline) leaves a token that simply expires.
    if (token) void fetch('/api/v1/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${token}` }, keepalive: true }).catch(() => undefined);
    // Refusals the user was shown go; taps still waiting stay, sent when they sign in again (api/outbox.ts).
    if (session) forgetRefused(session.account.username);
    forget();
  }, [session, forget]);

  // What this device keeps to send (api/outbox.ts) is sent by its own user only, once signed in.
  useEffect(() => outboxUser(session?.account.username ?? null), [session]);

  // Every tab of this browser shares one session: a sign-out or sign-in in one shows in the others.
  useEffect(() => {
    const changed = (event: StorageEvent) => {
      if (event.key === STORAGE_KEY || event.key === null) setSession(stored());
    };
    window.addEventListener('storage', changed);
    return () => window.removeEventListener('storage', changed);
  }, []);

  // The token goes with every request; a 401 (expired, revoked) forgets it and asks to sign in again.
  useToken(session?.token ?? null, (code) => {
    forget(session?.token);
    const here = window.location.pathname + window.location.search;
    const why = code === 'account-disabled' ? 'disabled=1' : code === 'token-signed-out' ? 'signedOut=1' : 'expired=1';
    if (!here.startsWith('/sign-in')) navigate(`/sign-in?next=${encodeURIComponent(here)}&${why}`, { replace: true });
  });

  // Sign out on expiry even while the page stays open.
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    // Timers hold at most ~24.8 days; a longer session is checked again when the page is next loaded.
    if (left > 2 ** 31 - 1) return;
    const timer = setTimeout(() => forget(session.token), Math.max(0, left));
    return () => clearTimeout(timer);
  }, [session, forget]);

  const signIn = useCallback(async (username: string, password: string) => {
    const next = await read(api.POST('/api/v1/sessions', { body: { username, password } }));
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    useToken(next.token, () => forget(next.token));
    setSession(next);
    return next;
  }, [forget]);

  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionContext {
  const context = useContext(Context);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}

/** The signed-in account (pages behind sign-in only). */
export function useAccount(): Account {
  const { session } = useSession();
  if (!session) throw new Error('useAccount while signed out');
  return session.account;
}

/** Where an account starts. */
export function homeOf(account: Account): string {
  switch (account.role) {
    case 'staff':
      return '/staff/activities';
    case 'volunteer':
      return '/me';
    default:
      return '/dashboard';
  }
}
