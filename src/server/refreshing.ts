/**
 * A value loaded once and then refreshed at most once per TTL, without making callers wait for
 * the refresh: past the TTL they get the previous value while the new one loads. Only the very
 * first caller waits. (Session start reads the site's queues this way: a slow JSM must not stall
 * every connection opened while the list is rebuilt.)
 */
export function refreshing<T>(load: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let current: Promise<T> | undefined;
  let loadedAt = 0;
  let pending = false;
  return () => {
    if (!current) {
      loadedAt = Date.now();
      current = load();
    } else if (!pending && Date.now() - loadedAt > ttlMs) {
      pending = true;
      loadedAt = Date.now();
      load().then(
        (value) => {
          current = Promise.resolve(value);
        },
        () => undefined, // keep serving the previous value
      ).finally(() => {
        pending = false;
      });
    }
    return current;
  };
}
