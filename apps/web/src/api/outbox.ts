import { useSyncExternalStore } from 'react';
import { bearer, rememberPosition } from './client';

/**
 * Commands kept on this device until the network lets them through: a
 * check-in tapped at a venue with poor signal is not lost when every try
 * fails. Each keeps the Idempotency-Key it was first sent with, so the ledger
 * records it once, whether the first try got through unheard or not; and its
 * body says when it happened (`at`), so it counts from the tap, not from when
 * it was finally delivered. Kept in localStorage, per signed-in user.
 */
export interface OutboxEntry {
  key: string;
  path: string;
  body: Record<string, unknown>;
  /** What it is, in the user's words: "俞阿姨 签到". */
  label: string;
  /** Whose it is: only they send it (another account signed in on this device does not). */
  username: string;
  queuedAt: string;
  /** Set when the ledger refused it: it stays for the user to read, and is never sent again. */
  refused?: string;
}

const STORAGE_KEY = 'haitang.outbox';
const RETRY_MS = 10_000;

function load(): OutboxEntry[] {
  try {
    const entries = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(entries) ? entries.filter((e): e is OutboxEntry => typeof e?.key === 'string' && typeof e?.path === 'string') : [];
  } catch {
    return [];
  }
}

let entries: OutboxEntry[] = typeof localStorage === 'undefined' ? [] : load();
const listeners = new Set<() => void>();
/** Called with each entry the ledger accepted, so that pages showing it read again. */
const deliveredListeners = new Set<(entry: OutboxEntry) => void>();

function save(next: OutboxEntry[]): void {
  entries = next;
  localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  for (const listener of listeners) listener();
}

/** Keeps a command to send when the network is back (and tries at once). */
export function enqueue(entry: Omit<OutboxEntry, 'queuedAt'>): void {
  if (entries.some((e) => e.key === entry.key)) return;
  save([...entries, { ...entry, queuedAt: new Date().toISOString() }]);
  schedule();
}

/** Forgets an entry the ledger refused, once the user has read why. */
export function dismiss(key: string): void {
  save(entries.filter((e) => e.key !== key));
}

let user: string | null = null;
let flushing: Promise<void> | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

/** Whose entries are sent: the signed-in user's (null: nobody's). */
export function outboxUser(username: string | null): void {
  if (user === username) return;
  user = username;
  for (const listener of listeners) listener();
  if (username) schedule(0);
}

function schedule(delay = 0): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void flush();
  }, delay);
}

/** Sends the signed-in user's waiting entries in the order they were made; stops at the first that cannot get through. */
export function flush(): Promise<void> {
  // Cleared once settled (a callback runs after the assignment, even when there was nothing to send).
  flushing ??= sendWaiting().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function sendWaiting(): Promise<void> {
  for (const entry of entries.filter((e) => e.username === user && !e.refused)) {
    if (!(await deliver(entry))) {
      schedule(RETRY_MS);
      return;
    }
  }
}

/** One try: true when it is settled (accepted or refused), false when it should wait. */
async function deliver(entry: OutboxEntry): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(entry.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': entry.key, ...bearer() },
      body: JSON.stringify(entry.body),
    });
  } catch {
    return false;
  }
  // Signed out meanwhile, rate-limited, or the ledger could not save: later.
  if (response.status === 401 || response.status === 408 || response.status === 429 || response.status >= 500) return false;
  const answer = await response.json().catch(() => null) as { position?: unknown; detail?: unknown } | null;
  if (response.ok) {
    rememberPosition(answer?.position);
    save(entries.filter((e) => e.key !== entry.key));
    for (const listener of deliveredListeners) listener(entry);
  } else {
    const detail = typeof answer?.detail === 'string' ? answer.detail : `${response.status}`;
    save(entries.map((e) => (e.key === entry.key ? { ...e, refused: detail } : e)));
  }
  return true;
}

/** Calls `listener` with each entry the ledger accepted; answers the unsubscribe. */
export function onDelivered(listener: (entry: OutboxEntry) => void): () => void {
  deliveredListeners.add(listener);
  return () => deliveredListeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => schedule(0));
  // Another tab of this browser changed the outbox.
  window.addEventListener('storage', (event) => {
    if (event.key !== STORAGE_KEY) return;
    entries = load();
    for (const listener of listeners) listener();
  });
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
let snapshotOf: { entries: OutboxEntry[]; user: string | null; mine: OutboxEntry[] } = { entries: [], user: null, mine: [] };

/** The signed-in user's entries (waiting and refused), re-rendering when they change. */
export function useOutbox(): OutboxEntry[] {
  return useSyncExternalStore(subscribe, () => {
    if (snapshotOf.entries !== entries || snapshotOf.user !== user) snapshotOf = { entries, user, mine: entries.filter((e) => e.username === user) };
    return snapshotOf.mine;
  });
}
