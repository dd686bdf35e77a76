/**
 * The user-defined views of one views file (or, with no UserDefinedViews file, of one gateway user
 * in memory): loaded once, watched for changes made outside the gateway, changed by sessions and
 * written back atomically. Sessions compare `version` before a statement to pick up changes.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { formatViews, readViewsFile, writeViewsFile, type ViewEntry, type ViewsDoc } from './file.ts';

/** Editors write in steps: the file is read again this long after the last change. */
const WATCH_DEBOUNCE_MS = 100;

export interface UserView {
  /** As the file spells it. */
  readonly name: string;
  /** The engine's name: lower case (`SELECT * FROM UserViews.MyView` folds to it). */
  readonly engineName: string;
  readonly query: string;
}

export class UserViewStore {
  private views: Map<string, ViewEntry>;
  /** Bumped by every change, from a session or from the file. */
  version = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  private constructor(readonly path: string | undefined, initial: ViewsDoc, private readonly logger: Logger) {
    this.views = new Map(initial);
  }

  /** Reads the file (a missing one is an empty set; a bad one fails, naming the file) and watches it. */
  static async open(path: string | undefined, logger: Logger): Promise<UserViewStore> {
    const store = new UserViewStore(path, path ? await readViewsFile(path) : new Map(), logger);
    store.watchFile();
    return store;
  }

  list(): UserView[] {
    return [...this.views].map(([name, v]) => ({ name, engineName: name.toLowerCase(), query: v.query }));
  }

  /** Adds or replaces a view (a name differing only in case replaces it) and writes the file. */
  set(name: string, query: string): Promise<void> {
    return this.change((views) => {
      const old = [...views.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
      const extra = old ? views.get(old)!.extra : undefined;
      if (old) views.delete(old);
      views.set(name, extra ? { query, extra } : { query });
    });
  }

  /** Removes the view with this engine (lower-case) name, if there is one. */
  delete(engineName: string): Promise<void> {
    return this.change((views) => {
      for (const k of [...views.keys()]) if (k.toLowerCase() === engineName) views.delete(k);
    });
  }

  close(): void {
    this.watcher?.close();
    clearTimeout(this.timer);
  }

  /**
   * One change at a time, applied to the file as it is now (not as last read: an edit made
   * outside the gateway a moment ago, or another gateway's, is kept), then written back.
   */
  private change(apply: (views: Map<string, ViewEntry>) => void): Promise<void> {
    const run = async () => {
      const views = new Map(this.path ? await readViewsFile(this.path) : this.views);
      apply(views);
      if (this.path) await writeViewsFile(this.path, views);
      this.views = views;
      this.version++;
    };
    const p = this.lock.then(run, run);
    this.lock = p.catch(() => undefined);
    return p;
  }

  /** The directory is watched, not the file: an atomic rename (ours or an editor's) replaces the file's inode. */
  private watchFile(): void {
    if (!this.path) return;
    const file = basename(this.path);
    try {
      this.watcher = watch(dirname(this.path), (_event, name) => {
        if (name !== null && name !== file) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), WATCH_DEBOUNCE_MS);
      });
      this.watcher.on('error', (err) => this.logger.warn({ err, file: this.path }, 'UserDefinedViews file no longer watched'));
    } catch (err) {
      // the directory does not exist yet: the file is read again whenever a session changes it
      this.logger.info({ err: (err as Error).message, file: this.path }, 'UserDefinedViews file not watched');
    }
  }

  private async reload(): Promise<void> {
    const run = async () => {
      try {
        const views = await readViewsFile(this.path!);
        if (formatViews(views) === formatViews(this.views)) return;
        this.views = new Map(views);
        this.version++;
        this.logger.info({ file: this.path, views: views.size }, 'UserDefinedViews file reloaded');
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'UserDefinedViews file not reloaded; the views as last read stay');
      }
    };
    const p = this.lock.then(run, run);
    this.lock = p;
    await p;
  }
}
