// Timings of the app, recorded with the standard User Timing API (read them in the web
// inspector; scripts/bench-app.sh reads them through WebDriver).
//
// Key press to committed answer, recorded with the standard User Timing API so it can
// be read from the web inspector or by the app-timing benchmark (tests/e2e.rs,
// `key_press_to_committed_answer`): one `cxm:answer-committed` measure per answer, from
// the event's time stamp to the moment the backend confirmed the row.

export const COMMIT_MEASURE = 'cxm:answer-committed';
/** Measures kept (oldest dropped first), so a long interview cannot grow the buffer. */
export const KEEP = 1000;

/** When the event happened, on the `performance.now()` clock. */
export function pressTime(ev: Event, now: () => number = () => performance.now()): number {
  const t = now();
  // Event time stamps share performance.now()'s origin; fall back to "now" otherwise.
  return ev.timeStamp > 0 && ev.timeStamp <= t ? ev.timeStamp : t;
}

/** Records one committed answer, pressed at `pressedAt`. */
export function recordCommit(pressedAt: number, perf: Performance = performance): void {
  if (perf.getEntriesByName(COMMIT_MEASURE).length >= KEEP) perf.clearMeasures(COMMIT_MEASURE);
  perf.measure(COMMIT_MEASURE, { start: pressedAt, end: perf.now() });
}

/** Durations of the recorded commits, in milliseconds, oldest first. */
export function commitDurations(perf: Performance = performance): number[] {
  return perf.getEntriesByName(COMMIT_MEASURE).map((e) => e.duration);
}

export const FIRST_SCREEN_MARK = 'cxm:first-screen';

/** Marks (once) when the first screen with data is on the page, for the launch benchmark. */
export function markFirstScreen(perf: Performance = performance): void {
  if (perf.getEntriesByName(FIRST_SCREEN_MARK).length === 0) perf.mark(FIRST_SCREEN_MARK);
}
