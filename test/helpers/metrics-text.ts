/** Prometheus text exposition (GET /metrics) read back: each sample's name, labels and value. */
export interface Scrape {
  text: string;
  /** Sum of the samples of `name` whose labels include all of `labels`. */
  value(name: string, labels?: Record<string, string>): number;
  /** Label sets of the samples of `name`. */
  series(name: string): Record<string, string>[];
}

export function parseMetrics(text: string): Scrape {
  const samples = text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    return { name: m[1]!, labels, value: Number(m[3]) };
  });
  const matching = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    text,
    value: (name, labels) => matching(name, labels).reduce((sum, s) => sum + s.value, 0),
    series: (name) => matching(name).map((s) => s.labels),
  };
}
