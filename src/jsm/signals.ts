/**
 * Combines abort signals without AbortSignal.any: a client's long-lived close
 * signal would otherwise collect a dependent for every request it ever served.
 * dispose() detaches the listeners once the request is settled.
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  readonly controller: AbortController;
  dispose(): void;
}

export function linkSignals(...sources: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const attached: { source: AbortSignal; listener: () => void }[] = [];
  const dispose = (): void => {
    for (const { source, listener } of attached) source.removeEventListener('abort', listener);
    attached.length = 0;
  };
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const listener = (): void => {
      controller.abort(source.reason);
      dispose();
    };
    source.addEventListener('abort', listener, { once: true });
    attached.push({ source, listener });
  }
  if (controller.signal.aborted) dispose();
  return { signal: controller.signal, controller, dispose };
}
