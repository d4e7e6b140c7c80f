// Reads surge's .hlog with hdr-histogram-js (HistogramLogReader, the npm package's own decoder) and compares
// it with the results.json of the same run: one interval per second starting at started_at_unix_ms, each
// holding that second's request count, and the whole run's p50/p99/max equal to results.json within the
// histogram's precision. One bucket is 1/1024 of the value (3 significant digits) plus the 512 ns unit; the
// JS figures are bucketed twice (decoding the log, then adding the intervals into one total, whose buckets
// need not line up), so they may stand two buckets from results.json's exact max.
// Usage: node hlog_check.js RUN.hlog RESULTS.json
// Prints one JSON line {ok, problems, js: {p50_ms, p99_ms, max_ms, count}}; exits 1 when a check fails.
'use strict';

const fs = require('fs');
const hdr = require('hdr-histogram-js');

const [hlogPath, resultsPath] = process.argv.slice(2);
const results = JSON.parse(fs.readFileSync(resultsPath, 'utf8'));
const reader = new hdr.HistogramLogReader(fs.readFileSync(hlogPath, 'utf8'), 64);
const problems = [];
const total = hdr.build({lowestDiscernibleValue: 1000, highestTrackableValue: 3600e9, numberOfSignificantValueDigits: 3, bitBucketSize: 64});

// The max is taken over the intervals, not from `total`: hdr-histogram-js 3.0.1's add() sets maxValue to
// max(this, other) + unitMagnitudeMask, so the total's max climbs 511 ns with every interval added after the
// one that held it (seen failing this check whenever the max came in an early second).
let maxNs = 0;
let index = 0;
for (let interval = reader.nextIntervalHistogram(); interval !== null; interval = reader.nextIntervalHistogram(), index++) {
  const second = results.timeseries[index];
  if (!second) { problems.push('interval ' + index + ' has no timeseries entry'); break; }
  const expectedStartMs = results.started_at_unix_ms + 1000 * (second.t_s - 1);
  if (Math.abs(interval.startTimeStampMsec - expectedStartMs) > 1) {
    problems.push('interval ' + index + ' starts at ' + interval.startTimeStampMsec + ' ms, expected ' + expectedStartMs);
  }
  // Every request of this run got a response (the test checks there are no errors), so each has a latency.
  if (interval.totalCount !== second.requests) {
    problems.push('interval ' + index + ' holds ' + interval.totalCount + ' values, second ' + second.t_s + ' ended ' + second.requests + ' requests');
  }
  total.add(interval);
  maxNs = Math.max(maxNs, interval.maxValue);
}
if (index !== results.timeseries.length) problems.push(index + ' intervals for ' + results.timeseries.length + ' seconds');

const ms = (ns) => ns / 1e6;
const js = {p50_ms: ms(total.getValueAtPercentile(50)), p99_ms: ms(total.getValueAtPercentile(99)), max_ms: ms(maxNs), count: total.totalCount};
const within = (actual, expected) => Math.abs(actual - expected) <= 2 * (expected / 1024 + 0.000512) + 1e-9;
if (js.count !== results.requests.total) problems.push('the intervals hold ' + js.count + ' values, results.json ' + results.requests.total + ' requests');
[['p50_ms', 'p50'], ['p99_ms', 'p99'], ['max_ms', 'max']].forEach(([mine, theirs]) => {
  if (!within(js[mine], results.latency_ms[theirs])) problems.push(theirs + ': hdr-histogram-js ' + js[mine] + ' ms, results.json ' + results.latency_ms[theirs] + ' ms');
});
console.log(JSON.stringify({ok: problems.length === 0, problems: problems, js: js}));
process.exit(problems.length === 0 ? 0 : 1);
