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

/** Changes the stored list: read afresh first (another tab of this browser may have changed it), then written back. */
function change(edit: (current: OutboxEntry[]) => OutboxEntry[]): void {
  entries = edit(load());
  localStorage.setItem(STORAGE_KEY, JSON.stringify(entries));
  for (const listener of listeners) listener();
}

/** Keeps a command to send when the network is back (and tries at once). */
export function enqueue(entry: Omit<OutboxEntry, 'queuedAt'>): void {
  change((current) => (current.some((e) => e.key === entry.key) ? current : [...current, { ...entry, queuedAt: new Date().toISOString() }]));
  schedule();
}

/** Forgets an entry the ledger refused, once the user has read why. */
export function dismiss(key: string): void {
  change((current) => current.filter((e) => e.key !== key));
}

/** On signing out: the user's refusals go (they were shown); what still waits stays, to be sent when they sign in again. */
export function forgetRefused(username: string): void {
  change((current) => current.filter((e) => !(e.username === username && e.refused)));
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

/**
 * Sends what waits, oldest first, reading the stored list afresh before each (a tap kept meanwhile is
 * sent in the same run). Tabs of one browser take turns (Web Locks, where the page is a secure
 * context); without them two tabs may send one entry twice, which the ledger answers once.
 */
async function sendWaiting(): Promise<void> {
  const run = async () => {
    const tried = new Set<string>();
    for (;;) {
      entries = load();
      const next = entries.find((e) => e.username === user && !e.refused && !tried.has(e.key));
      if (!next) return;
      tried.add(next.key);
      if (!(await deliver(next))) {
        schedule(RETRY_MS);
        return;
      }
    }
  };
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  await (locks ? locks.request('haitang.outbox', run) : run());
}

/** One try: true when it is settled (accepted or refused), false when it should wait. */
async function deliver(entry: OutboxEntry): Promise<boolean> {
  let response: Response;
  let answer: { position?: unknown; detail?: unknown } | null;
  try {
    response = await fetch(entry.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': entry.key, ...bearer() },
      body: JSON.stringify(entry.body),
      signal: AbortSignal.timeout(15_000),
    });
    answer = await response.json().catch(() => null) as typeof answer;
  } catch {
    return false;
  }
  // Signed out meanwhile, rate-limited, or the ledger could not save: later.
  if (response.status === 401 || response.status === 408 || response.status === 429 || response.status >= 500) return false;
  if (response.ok) {
    // Only the ledger's own answer says it was recorded (a captive portal's page on plain http answers 200 too).
    if (typeof answer?.position !== 'number') return false;
    rememberPosition(answer.position);
    change((current) => current.filter((e) => e.key !== entry.key));
    for (const listener of deliveredListeners) listener(entry);
  } else {
    const detail = typeof answer?.detail === 'string' ? answer.detail : `${response.status}`;
    change((current) => current.map((e) => (e.key === entry.key ? { ...e, refused: detail } : e)));
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
  // Another tab of this browser changed the outbox: what it delivered is announced here too (pages read again).
  window.addEventListener('storage', (event) => {
    if (event.key !== STORAGE_KEY) return;
    const before = entries;
    entries = load();
    for (const listener of listeners) listener();
    const gone = before.filter((e) => !e.refused && !entries.some((now) => now.key === e.key));
    for (const entry of gone) for (const listener of deliveredListeners) listener(entry);
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
