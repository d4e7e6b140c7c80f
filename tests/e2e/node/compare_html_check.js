// Opens surge compare's HTML page in the system Chromium (headless, through puppeteer-core) and checks it
// against the compare.json written by the same command: no console errors and no network request, the
// result badge, one section per scope with its label, each scope's table with one row per metric showing
// compare.json's verdict, and each scope's chart with the base and new distributions overlaid, every point
// of the page's data drawn.
// Usage: node compare_html_check.js COMPARE.html COMPARE.json [SCREENSHOT.png]
// Prints one JSON line {ok, problems, scopes}; exits 1 when a check fails, 2 when the browser cannot run.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = '/usr/bin/chromium';

async function main() {
  const [htmlPath, comparePath, screenshot] = process.argv.slice(2);
  const expected = JSON.parse(fs.readFileSync(comparePath, 'utf8'));
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
  let seen = null;
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
    seen = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('surge-compare-data').textContent);
      const badge = document.getElementById('result');
      return {
        result: badge ? badge.className : null,
        scopes: Array.from(document.querySelectorAll('section.scope')).map((section, i) => ({
          label: section.getAttribute('data-scope'),
          rows: Array.from(section.querySelectorAll('table.compare-table tbody tr')).map((row) => ({
            metric: row.getAttribute('data-metric'),
            verdict: row.querySelector('td.verdict').getAttribute('data-verdict'),
          })),
          series: Array.from(section.querySelectorAll('figure.chart path.series')).map((p) => ({
            name: p.getAttribute('data-series'), points: Number(p.getAttribute('data-points')), d: p.getAttribute('d')})),
          dataPoints: {base: data.scopes[i].distribution.base.length, 'new': data.scopes[i].distribution['new'].length},
        })),
      };
    });
    if (screenshot) await page.screenshot({path: screenshot, fullPage: true});
    check(expected, seen, problems);
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  console.log(JSON.stringify({ok: problems.length === 0, problems: problems, scopes: seen ? seen.scopes.length : 0}));
  process.exit(problems.length === 0 ? 0 : 1);
}

function check(expected, seen, problems) {
  if (seen.result !== expected.result) problems.push('result badge "' + seen.result + '" != ' + expected.result);
  if (seen.scopes.length !== expected.scopes.length) {
    return problems.push('the page has ' + seen.scopes.length + ' scopes, compare.json ' + expected.scopes.length);
  }
  expected.scopes.forEach((scope, i) => {
    const shown = seen.scopes[i];
    if (shown.label !== scope.label) problems.push('scope ' + i + ' is "' + shown.label + '", expected "' + scope.label + '"');
    const rows = scope.metrics.map((m) => ({metric: m.metric, verdict: m.verdict}));
    if (JSON.stringify(shown.rows) !== JSON.stringify(rows)) {
      problems.push(scope.label + ': table ' + JSON.stringify(shown.rows) + ', expected ' + JSON.stringify(rows));
    }
    ['base', 'new'].forEach((name) => {
      const series = shown.series.find((s) => s.name === name);
      if (!series) return problems.push(scope.label + ': no ' + name + ' distribution drawn');
      if (series.points < 10 || series.points !== shown.dataPoints[name]) {
        problems.push(scope.label + ': ' + name + ' distribution has ' + series.points + ' points, its data ' + shown.dataPoints[name]);
      }
    });
    if (shown.series.length === 2 && shown.series[0].d === shown.series[1].d) {
      problems.push(scope.label + ': the base and new distributions are drawn as one line');
    }
  });
}

main().catch((error) => {
  console.log(JSON.stringify({ok: false, problems: ['cannot run the browser: ' + error.message]}));
  process.exit(2);
});
