import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react';

/**
 * A small client-side router over the History API (the console has a dozen
 * pages; a router library would be most of its weight). The server answers
 * index.html for every console path, so any URL can be opened directly.
 */
export interface Location {
  path: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();
let snapshot: Location = { path: '', query: new URLSearchParams() };
/** The current location; the same object while the URL is unchanged (so an update with nothing new renders nothing). */
const current = (): Location => {
  if (snapshot.path !== window.location.pathname || snapshot.query.toString() !== window.location.search.replace(/^\?/, '')) {
    snapshot = { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
  }
  return snapshot;
};

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    // A child may have navigated before this effect subscribed (children's effects run first).
    update();
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** Matches `/staff/activities/:id` against a path; the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  })}/?$`);
  const found = regex.exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
}

/** An in-app link: a real <a href> (keyboard, new tab and screen readers work), routed without a reload. */
export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={follow} {...rest} />;
}
