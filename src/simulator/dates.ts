/**
 * Date and duration objects in the shapes of DateDTO and DurationDTO. All
 * times are rendered in UTC so output does not depend on the host time zone,
 * and `friendly` uses an absolute format so it does not depend on "today".
 */

export interface DateJson {
  iso8601: string;
  jira: string;
  friendly: string;
  epochMillis: number;
}

export interface DurationJson {
  millis: number;
  friendly: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Jira's REST timestamp: ISO 8601 with milliseconds and a +HHMM offset. */
export function jiraTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 19)}.${pad(d.getUTCMilliseconds(), 3)}+0000`;
}

export function dateJson(ms: number): DateJson {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const day = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${pad(d.getUTCFullYear() % 100)}`;
  const time = `${hours % 12 === 0 ? 12 : hours % 12}:${pad(d.getUTCMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
  return { iso8601: `${d.toISOString().slice(0, 19)}+0000`, jira: jiraTimestamp(ms), friendly: `${day} ${time}`, epochMillis: ms };
}

/** "4h 0m" style, negative when an SLA is past its goal. */
export function durationJson(millis: number): DurationJson {
  const sign = millis < 0 ? '-' : '';
  const totalMinutes = Math.floor(Math.abs(millis) / 60_000);
  return { millis, friendly: `${sign}${Math.floor(totalMinutes / 60)}h ${totalMinutes % 60}m` };
}

/** ISO calendar date (YYYY-MM-DD) as date-picker fields store it. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The simulated "now" of a freshly generated instance: fixed so data never drifts. */
export const SIM_EPOCH_NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
