import { noticeResponse } from '../protocol/backend-messages.ts';
import { plural } from './explain-output.ts';

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
    yield noticeResponse(progressText(progress));
  }
}

/** "jsm-pg: fetched 4500 rows in 45 pages (1 API call) so far". */
export function progressText(progress: { rows: number; pages: number; calls: number }): string {
  return `jsm-pg: fetched ${plural(progress.rows, 'row')} in ${plural(progress.pages, 'page')} (${plural(progress.calls, 'API call')}) so far`;
}
