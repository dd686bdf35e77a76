import { noticeResponse } from '../protocol/backend-messages.ts';

/** First NOTICE after this long, then one per interval: long scans show the client they are moving. */
export const PROGRESS_AFTER_MS = 3_000;

/** Yields progress NOTICEs while `work` runs; settles when it does (the caller awaits `work` for its outcome). */
export async function* progressNotices(work: Promise<unknown>, progress: { rows: number; pages: number; calls: number }, everyMs = PROGRESS_AFTER_MS): AsyncGenerator<Uint8Array> {
  const done = work.then(() => true, () => true);
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), everyMs)));
    const finished = await Promise.race([done, tick]);
    clearTimeout(timer);
    if (finished) return;
    yield noticeResponse(`jsm-pg: fetched ${progress.rows} rows in ${progress.pages} pages (${progress.calls} API calls) so far`);
  }
}
