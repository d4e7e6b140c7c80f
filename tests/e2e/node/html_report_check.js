// Opens surge's HTML report in the system Chromium (headless, through puppeteer-core) and checks it against
// the results.json it came from: no console errors and no network request, every chart drawn with its data
// points, the SLA table equal to results.json `sla[]` (actual values rounded as the terminal summary rounds them),
// the phase and step tables complete, and each chart's phase labels, one per phase, none overlapping another.
// Usage: node html_report_check.js REPORT.html RESULTS.json [SCREENSHOT.png]
// Prints one JSON line {ok, problems, charts}; exits 1 when a check fails, 2 when the browser cannot run.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = '/usr/bin/chromium';

async function main() {
  const [htmlPath, resultsPath, screenshot] = process.argv.slice(2);
  const results = JSON.parse(fs.readFileSync(resultsPath, 'utf8'));
  if (!fs.existsSync(CHROMIUM)) {
    console.log(JSON.stringify({ok: false, problems: [CHROMIUM + ' is missing (scripts/install-deps.sh installs chromium)']}));
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--no-first-run', '--user-data-dir=' + profile],
  });
  const problems = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1280, height: 900});
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push('console ' + message.type() + ': ' + message.text());
    });
    page.on('pageerror', (error) => problems.push('page error: ' + error.message));
    const fileUrl = 'file://' + path.resolve(htmlPath);
    page.on('request', (request) => {
      if (request.url() !== fileUrl) problems.push('network request: ' + request.url());
    });
    await page.goto(fileUrl, {waitUntil: 'load'});
    const seen = await page.evaluate(() => {
      const text = (node) => (node ? node.textContent : null);
      return {
        result: text(document.getElementById('result')),
        charts: Array.from(document.querySelectorAll('figure.chart')).map((figure) => ({
          id: figure.getAttribute('data-chart'),
          series: Array.from(figure.querySelectorAll('path.series')).map((p) => ({
            name: p.getAttribute('data-series'), points: Number(p.getAttribute('data-points')), d: p.getAttribute('d').length})),
          thresholds: figure.querySelectorAll('line.threshold').length +
            Number((figure.querySelector('p.off-scale') || {dataset: {count: 0}}).dataset.count),
          boundaries: figure.querySelectorAll('line.boundary').length,
          faults: Array.from(figure.querySelectorAll('rect.fault')).map((r) => r.getAttribute('data-kind')),
          phaseLabels: Array.from(figure.querySelectorAll('text.phase-label')).map((label) => {
            const box = label.getBoundingClientRect();
            const title = label.querySelector('title');
            return {phase: label.getAttribute('data-phase'), shown: label.firstChild ? label.firstChild.textContent : '',
                    hidden: label.getAttribute('visibility') === 'hidden', title: title ? title.textContent : null,
                    box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom}};
          }),
        })),
        sla: Array.from(document.querySelectorAll('#sla-table tbody tr')).map((row) => ({
          expr: text(row.querySelector('td.expr')),
          actual: JSON.parse(row.querySelector('td.actual').getAttribute('data-value')),
          actualText: text(row.querySelector('td.actual')),
          result: text(row.querySelector('td.pass-cell')),
        })),
        phaseRows: document.querySelectorAll('#phase-table tbody tr').length,
        stepRows: document.querySelectorAll('#step-table tbody tr').length,
      };
    });
    if (screenshot) await page.screenshot({path: screenshot, fullPage: true});
    check(results, seen, problems);
    console.log(JSON.stringify({ok: problems.length === 0, problems: problems, charts: seen.charts}));
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  process.exit(problems.length === 0 ? 0 : 1);
}

function check(results, seen, problems) {
  const seconds = results.timeseries.length;
  if (seen.result !== results.result) problems.push('result badge "' + seen.result + '" != ' + results.result);
  const byId = {};
  seen.charts.forEach((chart) => { byId[chart.id] = chart; });
  const expectPoints = (id, series, points) => {
    const chart = byId[id];
    const found = chart && chart.series.find((s) => s.name === series);
    if (!found) return problems.push('chart ' + id + ' has no series ' + series);
    if (found.points !== points || found.d === 0) problems.push('chart ' + id + ' series ' + series + ' has ' + found.points + ' points, expected ' + points);
  };
  const withLatency = results.timeseries.filter((s) => s.latency_ms).length;
  expectPoints('throughput', 'requests/s', seconds);
  ['p50', 'p95', 'p99'].forEach((p) => expectPoints('latency', p, withLatency));
  expectPoints('errors', 'all errors', seconds);
  expectPoints('users', 'active users', seconds);
  expectPoints('users', 'open connections', seconds);
  if (results.timeseries.some((s) => s.target)) {
    const sampled = results.timeseries.filter((s) => s.target).length;
    expectPoints('target-cpu', 'CPU', sampled);
    expectPoints('target-memory', 'RSS', sampled);
  }
  const distribution = byId.distribution;
  if (!distribution || distribution.series.length !== 1 || distribution.series[0].points < 10) {
    problems.push('the latency distribution chart has too few points: ' + JSON.stringify(distribution));
  }
  const latencySlas = (results.sla || []).filter((s) => /^\s*(p\d+|max|mean|min)\s*\(\s*latency\b/.test(s.expr)).length;
  // Each latency SLA is a dashed line, or named above the scale when it is far above the data.
  if (!byId.latency || byId.latency.thresholds !== latencySlas) problems.push('latency chart shows ' + (byId.latency || {}).thresholds + ' SLA thresholds, expected ' + latencySlas);
  checkPhaseLabels(results, seen, problems);
  const phaseBoundaries = Math.max(0, results.phases.length - 1);
  if (byId.throughput && byId.throughput.boundaries !== phaseBoundaries) problems.push('throughput chart marks ' + byId.throughput.boundaries + ' phase boundaries, expected ' + phaseBoundaries);

  // Each fault that was applied is shaded on every chart over time.
  const faults = (results.faults || []).filter((f) => !f.failure).map((f) => f.kind);
  ['throughput', 'latency', 'errors', 'users'].forEach((id) => {
    const shaded = (byId[id] || {}).faults || [];
    if (JSON.stringify(shaded) !== JSON.stringify(faults)) problems.push('chart ' + id + ' shades faults ' + JSON.stringify(shaded) + ', expected ' + JSON.stringify(faults));
  });

  const slas = results.sla || [];
  if (seen.sla.length !== slas.length) problems.push('SLA table has ' + seen.sla.length + ' rows, results.json ' + slas.length);
  slas.forEach((sla, i) => {
    const row = seen.sla[i] || {};
    if (row.expr !== sla.expr) problems.push('SLA row ' + i + ' expr "' + row.expr + '" != "' + sla.expr + '"');
    if (row.actual !== sla.actual) problems.push('SLA row ' + i + ' actual ' + row.actual + ' != ' + sla.actual);
    const shown = sla.actual === null ? 'no data' : summaryValue(sla.actual, sla.unit);
    if (row.actualText !== shown) problems.push('SLA row ' + i + ' shows "' + row.actualText + '", expected "' + shown + '"');
    if (row.result !== (sla.pass ? '✓ pass' : '✗ fail')) problems.push('SLA row ' + i + ' result "' + row.result + '" but pass=' + sla.pass);
  });
  if (seen.phaseRows !== results.phases.length) problems.push('phase table has ' + seen.phaseRows + ' rows, expected ' + results.phases.length);
  if (seen.stepRows !== results.steps.length) problems.push('step table has ' + seen.stepRows + ' rows, expected ' + results.steps.length);
}

// The terminal summary's rounding of an SLA value (src/report/sla_table.cpp format_sla_value): whole numbers in
// full, from 10,000 on to a tenth, the rest to six significant digits, then the unit as the SLA wrote it.
function summaryValue(value, unit) {
  const text = Number.isInteger(value) && Math.abs(value) < 1e15 ? value.toFixed(0)
    : Math.abs(value) >= 1e4 ? value.toFixed(1) : String(Number(value.toPrecision(6)));
  return text + (unit || '');
}

// Every chart over time labels each phase once (shown whole, shortened with "…", or hidden, the last two with
// the full name as a tooltip), and no two labels it shows overlap.
function checkPhaseLabels(results, seen, problems) {
  const names = results.phases.map((p) => p.name);
  seen.charts.filter((chart) => chart.id !== 'distribution').forEach((chart) => {
    const labels = chart.phaseLabels;
    if (JSON.stringify(labels.map((l) => l.phase)) !== JSON.stringify(names)) {
      return problems.push('chart ' + chart.id + ' labels phases ' + JSON.stringify(labels.map((l) => l.phase)) + ', expected ' + JSON.stringify(names));
    }
    labels.forEach((label) => {
      const whole = !label.hidden && label.shown === label.phase;
      const shortened = !label.hidden && label.shown.endsWith('…') && label.phase.startsWith(label.shown.slice(0, -1));
      if (!whole && !(shortened || label.hidden) ) problems.push('chart ' + chart.id + ' shows phase ' + label.phase + ' as "' + label.shown + '"');
      if (!whole && label.title !== label.phase) problems.push('chart ' + chart.id + ' phase ' + label.phase + ' lacks its full name as a tooltip');
    });
    const shown = labels.filter((l) => !l.hidden);
    shown.forEach((a, i) => shown.slice(i + 1).forEach((b) => {
      const apart = a.box.right <= b.box.left || b.box.right <= a.box.left || a.box.bottom <= b.box.top || b.box.bottom <= a.box.top;
      if (!apart) problems.push('chart ' + chart.id + ': phase labels ' + a.phase + ' and ' + b.phase + ' overlap: ' + JSON.stringify([a.box, b.box]));
    }));
  });
}

main().catch((error) => {
  console.log(JSON.stringify({ok: false, problems: ['cannot run the browser: ' + error.message]}));
  process.exit(2);
});
