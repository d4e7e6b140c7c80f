// surge HTML report: reads the run from the #surge-data JSON (results.json, see docs/results.md) and draws the
// page: header, key figures, SLA table, charts over time as inline SVG, the latency percentile distribution,
// and the phase and step tables. No library and nothing from the network: all of it is in this file.
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777',
                '#4b5563', '#65a30d'];
  var THRESHOLD_COLOR = '#dc2626';

  // ---- DOM helpers: text always goes in through textContent, so no name from a plan becomes markup.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttributes(node, attrs);
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttributes(node, attrs);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function setAttributes(node, attrs) {
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, attrs[key]);
    });
  }

  // ---- Number formats: latency in ms with the precision its size needs, counts with separators.
  function isNumber(v) { return typeof v === 'number' && isFinite(v); }
  function fmtMs(v) {
    if (!isNumber(v)) return '–';
    if (v === 0) return '0';
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    if (v >= 100) return v.toFixed(0) + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    if (v >= 1) return v.toFixed(2) + ' ms';
    return v.toFixed(3) + ' ms';
  }
  function fmtCount(v) { return isNumber(v) ? Math.round(v).toLocaleString('en-US') : '–'; }
  function fmtRate(v) {
    if (!isNumber(v)) return '–';
    if (v === 0) return '0';
    return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
  }
  function fmtPercent(v) {
    if (!isNumber(v)) return '–';
    return (v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(3)) + ' %';
  }
  function fmtBytes(v) {
    if (!isNumber(v)) return '–';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }
  function fmtSeconds(v) {
    if (!isNumber(v)) return '–';
    if (v < 60) return v.toFixed(v < 10 ? 2 : 1) + ' s';
    var minutes = Math.floor(v / 60);
    return minutes + ' min ' + Math.round(v - 60 * minutes) + ' s';
  }
  function fmtUtc(unixMs) {
    if (!isNumber(unixMs) || unixMs <= 0) return '–';
    return new Date(unixMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }
  function get(object, path) {
    return path.split('.').reduce(function (v, key) { return v === null || v === undefined ? undefined : v[key]; }, object);
  }

  // ---- Scales: "nice" round ticks (1, 2, 2.5, 5 × 10^n) so the axes read easily.
  function niceStep(range, count) {
    var raw = range / Math.max(count, 1);
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (raw <= steps[i] * power) return steps[i] * power;
    return 10 * power;
  }
  // Ticks from 0 to the first one at or above max; whole steps for counts and seconds.
  function ticks(max, count, whole) {
    var step = niceStep(max, count);
    if (whole) step = Math.max(1, Math.ceil(step));
    var out = [0];
    while (out[out.length - 1] < max * (1 - 1e-9)) out.push(Number((out.length * step).toPrecision(12)));
    return out;
  }

  // A line chart in SVG. spec: {id, title, xs: [x...], series: [{name, values: [y|null per x]}], yFormat,
  // xFormat, xTicks: [{value, label}] (else whole linear ticks), bands: [{from, to, label}] (phases),
  // faults: [{from, to, label}] (the plan's faults, shaded red: a fault without a length is a 2 px stripe),
  // thresholds: [{value, label}], wholeY, note}. Each series path carries data-points = its number of values.
  // A threshold far above the data (more than 3x its max) would flatten the lines, so it is named instead.
  function lineChart(spec) {
    var W = 600, H = 270, left = 62, right = 14, top = 32, bottom = 34;
    var plotW = W - left - right, plotH = H - top - bottom;
    var xs = spec.xs;
    var xMin = spec.xMin !== undefined ? spec.xMin : Math.min.apply(null, xs.concat([0]));
    var xMax = Math.max.apply(null, xs.concat([xMin + 1]));
    (spec.bands || []).forEach(function (b) { xMax = Math.max(xMax, b.to); });
    var yMax = 0;
    spec.series.forEach(function (s) { s.values.forEach(function (v) { if (isNumber(v)) yMax = Math.max(yMax, v); }); });
    var dataMax = yMax, drawn = [], offScale = [];
    (spec.thresholds || []).forEach(function (t) {
      if (dataMax > 0 && t.value > 3 * dataMax) { offScale.push(t.label); return; }
      drawn.push(t);
      yMax = Math.max(yMax, t.value);
    });
    var yTicks = ticks(yMax > 0 ? yMax * 1.05 : 1, 5, spec.wholeY);
    var yTop = yTicks[yTicks.length - 1];
    function x(v) { return left + (v - xMin) / (xMax - xMin) * plotW; }
    function y(v) { return top + plotH - v / yTop * plotH; }

    // Phase labels sit in two rows above the plot; layoutPhaseLabels places them once the page is drawn.
    var root = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': spec.title,
                           'data-label-rows': (top - 6) + ' ' + (top - 20), 'data-label-right': W - 2});
    (spec.bands || []).forEach(function (b, i) {
      if (i % 2 === 1) root.appendChild(svg('rect', {class: 'band', x: x(b.from), y: top, width: Math.max(0, x(b.to) - x(b.from)), height: plotH}));
      if (i > 0) root.appendChild(svg('line', {class: 'boundary', x1: x(b.from), x2: x(b.from), y1: top - 14, y2: top + plotH}));
      root.appendChild(svg('text', {class: 'phase-label', 'data-phase': b.label, x: x(b.from) + 4, y: top - 6}, b.label));
    });
    (spec.faults || []).forEach(function (f) {
      var from = x(Math.min(f.from, xMax)), to = x(Math.min(f.to, xMax));
      var rect = svg('rect', {class: 'fault', 'data-kind': f.label, x: from, y: top, width: Math.max(2, to - from), height: plotH});
      rect.appendChild(svg('title', {}, f.label + ' from ' + f.from.toFixed(1) + ' s to ' + f.to.toFixed(1) + ' s'));
      root.appendChild(rect);
      root.appendChild(svg('text', {class: 'fault-label', x: from + 3, y: top + plotH - 6}, f.label));
    });
    yTicks.forEach(function (v) {
      root.appendChild(svg('line', {class: 'grid', x1: left, x2: left + plotW, y1: y(v), y2: y(v)}));
      root.appendChild(svg('text', {x: left - 8, y: y(v) + 4, 'text-anchor': 'end'}, spec.yFormat(v)));
    });
    var xTicks = spec.xTicks || ticks(xMax - xMin, 8, true).map(function (v) { return {value: xMin + v, label: spec.xFormat(xMin + v)}; });
    xTicks.forEach(function (t) {
      if (t.value < xMin || t.value > xMax) return;
      root.appendChild(svg('line', {class: 'axis', x1: x(t.value), x2: x(t.value), y1: top + plotH, y2: top + plotH + 4}));
      root.appendChild(svg('text', {x: x(t.value), y: top + plotH + 18, 'text-anchor': 'middle'}, t.label));
    });
    root.appendChild(svg('line', {class: 'axis', x1: left, x2: left + plotW, y1: top + plotH, y2: top + plotH}));
    drawn.forEach(function (t) {
      root.appendChild(svg('line', {class: 'threshold', stroke: THRESHOLD_COLOR, x1: left, x2: left + plotW, y1: y(t.value), y2: y(t.value)}));
      root.appendChild(svg('text', {class: 'threshold-label', x: left + plotW - 4, y: y(t.value) - 5, 'text-anchor': 'end', fill: THRESHOLD_COLOR}, t.label));
    });
    spec.series.forEach(function (s, i) {
      s.color = s.color || COLORS[i % COLORS.length];
      var d = '', points = 0, pen = false;
      s.values.forEach(function (v, j) {
        if (!isNumber(v)) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(xs[j]).toFixed(1) + ' ' + y(v).toFixed(1);
        pen = true;
        points++;
      });
      root.appendChild(svg('path', {class: 'series', d: d, stroke: s.color, 'stroke-dasharray': s.dash, 'data-series': s.name, 'data-points': points}));
      if (xs.length <= 40) {
        s.values.forEach(function (v, j) {
          if (isNumber(v)) root.appendChild(svg('circle', {cx: x(xs[j]), cy: y(v), r: 2.4, fill: s.color}));
        });
      }
    });

    var figure = el('figure', {class: 'chart panel', 'data-chart': spec.id}, [el('h3', {}, [spec.title])]);
    figure.appendChild(root);
    var legend = el('div', {class: 'legend'});
    spec.series.forEach(function (s) { legend.appendChild(el('span', {style: '--swatch: ' + s.color}, [s.name])); });
    figure.appendChild(legend);
    if (spec.note) figure.appendChild(el('p', {class: 'note'}, [spec.note]));
    if (offScale.length) {
      figure.appendChild(el('p', {class: 'note off-scale', 'data-count': offScale.length}, ['Above the scale: ' + offScale.join(', ') + '.']));
    }
    addTooltip(figure, root, spec, {x: x, left: left, top: top, plotW: plotW, plotH: plotH, W: W});
    return figure;
  }

  // Phase names of short phases would run into each other: each label takes the first of two rows where it
  // starts past the previous label of that row; when neither row has room, the row that ends first makes
  // room by shortening its last label with "…" (or hiding it when under three characters would be left).
  // A shortened or hidden label keeps its full name as a tooltip (<title>) and in data-phase. Text widths
  // are only known once the SVG is in the page, so this runs after render().
  var LABEL_GAP = 6;
  function layoutPhaseLabels(root) {
    var rows = (root.getAttribute('data-label-rows') || '').split(' ').map(Number);
    var right = Number(root.getAttribute('data-label-right'));
    var lastInRow = rows.map(function () { return null; });
    var endOfRow = rows.map(function () { return -Infinity; });
    Array.prototype.forEach.call(root.querySelectorAll('text.phase-label'), function (label) {
      var start = Number(label.getAttribute('x'));
      var row = endOfRow.findIndex(function (end) { return end + LABEL_GAP <= start; });
      if (row < 0) {
        row = endOfRow[0] <= endOfRow[1] ? 0 : 1;
        var previous = lastInRow[row];
        fitLabel(previous, start - LABEL_GAP - Number(previous.getAttribute('x')));
      }
      label.setAttribute('y', rows[row]);
      fitLabel(label, right - start);
      lastInRow[row] = label;
      endOfRow[row] = start + (label.getAttribute('visibility') === 'hidden' ? 0 : label.getComputedTextLength());
    });
  }
  // Shortens a label to `width` (user units) with a trailing "…", or hides it when under three characters fit.
  function fitLabel(label, width) {
    var name = label.getAttribute('data-phase');
    if (label.getAttribute('visibility') === 'hidden' || label.getComputedTextLength() <= width) return;
    var kept = name.length - 1;
    label.textContent = name.slice(0, kept) + '…';
    while (kept >= 3 && label.getComputedTextLength() > width) label.textContent = name.slice(0, --kept) + '…';
    if (kept < 3) {
      label.textContent = name;
      label.setAttribute('visibility', 'hidden');
    }
    label.appendChild(svg('title', {}, name));
  }

  // Hovering a chart shows the values of every series at the nearest x.
  function addTooltip(figure, root, spec, frame) {
    var tip = el('div', {class: 'tooltip'});
    var cursor = svg('line', {class: 'cursor', y1: frame.top, y2: frame.top + frame.plotH, visibility: 'hidden'});
    root.appendChild(cursor);
    figure.appendChild(tip);
    root.addEventListener('mousemove', function (event) {
      var box = root.getBoundingClientRect();
      var at = (event.clientX - box.left) / box.width * frame.W;
      var best = -1, bestDistance = Infinity;
      spec.xs.forEach(function (v, j) {
        var distance = Math.abs(frame.x(v) - at);
        if (distance < bestDistance) { best = j; bestDistance = distance; }
      });
      if (best < 0) return;
      cursor.setAttribute('x1', frame.x(spec.xs[best]));
      cursor.setAttribute('x2', frame.x(spec.xs[best]));
      cursor.setAttribute('visibility', 'visible');
      tip.textContent = '';
      tip.appendChild(el('div', {}, [el('b', {}, [spec.xFormat(spec.xs[best])])]));
      spec.series.forEach(function (s) {
        tip.appendChild(el('div', {}, [s.name + ': ' + spec.yFormat(s.values[best])]));
      });
      tip.style.display = 'block';
      var px = frame.x(spec.xs[best]) / frame.W * box.width;
      tip.style.left = Math.min(px + 12, box.width - tip.offsetWidth) + 'px';
      tip.style.top = '40px';
    });
    root.addEventListener('mouseleave', function () {
      tip.style.display = 'none';
      cursor.setAttribute('visibility', 'hidden');
    });
  }

  // ---- SLA thresholds on latency, in ms: results.json `sla[]` gives threshold and unit; the metric is read
  // from the expression (docs/sla.md grammar), which also serves files that lack the structured fields.
  var UNIT_MS = {ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000};
  var LATENCY_SLA = /^\s*(p\d+|max|mean|min)\s*\(\s*latency\s*(\{[^}]*\})?\s*\)\s*(<=?|>=?|==)\s*([0-9]*\.?[0-9]+)\s*(ns|us|µs|ms|s)\s*$/;
  function latencyThreshold(sla) {
    var m = LATENCY_SLA.exec(sla.expr || '');
    if (!m) return null;
    var structured = isNumber(sla.threshold) && UNIT_MS[sla.unit] !== undefined;
    var value = structured ? sla.threshold * UNIT_MS[sla.unit] : parseFloat(m[4]) * UNIT_MS[m[5]];
    return {stat: m[1], value: value, label: sla.expr};
  }
  function slaUnit(sla) {
    if (typeof sla.unit === 'string') return sla.unit;
    var m = /([0-9.]+)\s*(ns|us|µs|ms|s|%|\/s)\s*$/.exec(sla.expr || '');
    return m ? m[2] : '';
  }

  // ---- Sections.
  function header(r) {
    var pass = r.result === 'pass';
    var title = el('h1', {}, [r.plan || 'surge run', el('span', {class: 'badge ' + (pass ? 'pass' : 'fail'), id: 'result'}, [pass ? 'pass' : 'fail'])]);
    var meta = el('div', {class: 'meta'}, [
      el('span', {}, ['started ', el('b', {}, [fmtUtc(r.started_at_unix_ms)])]),
      el('span', {}, ['duration ', el('b', {}, [fmtSeconds(r.duration_s)])]),
      el('span', {}, ['load model ', el('b', {}, [r.mode || '–'])]),
      el('span', {}, ['surge ', el('b', {}, [r.surge_version || '–'])])]);
    // results.json names the URL target_url; files from before target monitoring named it target.
    var url = r.target_url || (typeof r.target === 'string' ? r.target : '–');
    var out = [title, el('p', {class: 'subtitle'}, ['target ' + url]), meta];
    if (r.interrupted) out.push(el('p', {class: 'note warn'}, ['Interrupted by a signal before its end: the figures cover what ran.']));
    if (r.stop_reason) out.push(el('p', {class: 'note warn'}, ['Stopped early: ' + r.stop_reason]));
    return out;
  }

  function keyFigures(r) {
    var requests = r.requests || {};
    var errorRate = requests.total > 0 ? 100 * requests.errors / requests.total : undefined;
    var cards = [
      ['requests', fmtCount(requests.total)], ['throughput', fmtRate(r.throughput_rps) + ' /s'],
      ['errors', fmtCount(requests.errors) + (errorRate !== undefined ? ' (' + fmtPercent(errorRate) + ')' : '')],
      ['latency p50', fmtMs(get(r, 'latency_ms.p50'))], ['latency p95', fmtMs(get(r, 'latency_ms.p95'))],
      ['latency p99', fmtMs(get(r, 'latency_ms.p99'))], ['latency max', fmtMs(get(r, 'latency_ms.max'))],
      ['max connections', fmtCount(get(r, 'connections.max_concurrent'))]];
    if (isNumber(r.dropped_iterations)) cards.push(['dropped iterations', fmtCount(r.dropped_iterations)]);
    if (r.target && isNumber(r.target.peak_rss_bytes)) cards.push(['target peak RSS', fmtBytes(r.target.peak_rss_bytes)]);
    if (r.target && isNumber(r.target.cpu_s)) cards.push(['target CPU', fmtSeconds(r.target.cpu_s)]);
    return el('div', {class: 'cards'}, cards.map(function (c) {
      return el('div', {class: 'card'}, [el('div', {class: 'label'}, [c[0]]), el('div', {class: 'value'}, [c[1]])]);
    }));
  }

  // The actual value as the terminal summary rounds it: the report writer adds actual_text (src/report/html.cpp,
  // format_sla_value); data-value keeps the exact value of results.json.
  function slaActualText(sla) {
    if (sla.actual === null || sla.actual === undefined) return 'no data';
    if (typeof sla.actual_text === 'string') return sla.actual_text;
    var unit = slaUnit(sla);
    return String(sla.actual) + (unit === '' ? '' : unit === '%' ? '%' : ' ' + unit);
  }
  function slaSection(r) {
    var slas = r.sla || [];
    if (slas.length === 0) return [el('h2', {}, ['SLAs']), el('p', {class: 'note', id: 'sla-none'}, ['No SLAs were set for this run.'])];
    var rows = slas.map(function (sla) {
      return el('tr', {}, [
        el('td', {class: 'expr'}, [sla.expr]),
        el('td', {class: 'actual', 'data-value': JSON.stringify(sla.actual === undefined ? null : sla.actual)}, [slaActualText(sla)]),
        el('td', {class: 'pass-cell ' + (sla.pass ? 'pass' : 'fail')}, [sla.pass ? '✓ pass' : '✗ fail'])]);
    });
    var table = el('table', {id: 'sla-table'}, [
      el('thead', {}, [el('tr', {}, [el('th', {}, ['SLA']), el('th', {}, ['actual']), el('th', {}, ['result'])])]),
      el('tbody', {}, rows)]);
    return [el('h2', {}, ['SLAs']), el('div', {class: 'panel table-wrap'}, [table])];
  }

  function phaseBands(r) {
    var start = 0;
    return (r.phases || []).map(function (p) {
      var band = {from: start, to: start + (p.duration_s || 0), label: p.name};
      start = band.to;
      return band;
    });
  }

  // The faults of the plan as they happened: from their start to their end (a kill with restart: to the
  // restart's start; a fault without a length is an instant).
  function faultWindows(r) {
    return (r.faults || []).filter(function (f) { return !f.failure; }).map(function (f) {
      var end = isNumber(f.end_s) ? f.end_s : f.at_s + (f.for_s || 0);
      return {from: f.at_s, to: Math.max(end, f.at_s), label: f.kind};
    });
  }

  function timeCharts(r) {
    var series = r.timeseries || [];
    var xs = series.map(function (s) { return s.t_s; });
    var bands = phaseBands(r);
    var faults = faultWindows(r);
    function column(path) { return series.map(function (s) { var v = get(s, path); return isNumber(v) ? v : null; }); }
    function chart(id, title, list, yFormat, extra) {
      var spec = {id: id, title: title, xs: xs, xMin: 0, series: list, bands: bands, faults: faults, yFormat: yFormat,
                  xFormat: function (v) { return v + ' s'; }};
      Object.keys(extra || {}).forEach(function (k) { spec[k] = extra[k]; });
      return lineChart(spec);
    }
    var charts = [];
    // Second t covers [t - 1, t); the last one may be cut short by the end of the run.
    function perSecond(path) {
      return series.map(function (s) {
        var length = Math.min(1, (r.duration_s || 0) - (s.t_s - 1));
        var v = get(s, path);
        return isNumber(v) ? v / (length > 0 ? length : 1) : null;
      });
    }
    charts.push(chart('throughput', 'Throughput (requests ended per second)', [
      {name: 'requests/s', values: perSecond('requests')}, {name: 'errors/s', values: perSecond('errors'), color: '#dc2626'}], fmtRate));
    var thresholds = (r.sla || []).map(latencyThreshold).filter(function (t) { return t !== null; });
    charts.push(chart('latency', 'Latency per second', [
      {name: 'p50', values: column('latency_ms.p50')}, {name: 'p95', values: column('latency_ms.p95'), color: '#ea580c'},
      {name: 'p99', values: column('latency_ms.p99'), color: '#9333ea'}], fmtMs,
      {thresholds: thresholds, note: thresholds.length ? 'Dashed lines: the latency SLAs.' : undefined}));
    var kinds = {};
    series.forEach(function (s) { Object.keys(s.by_error || {}).forEach(function (k) { kinds[k] = true; }); });
    var errorSeries = [{name: 'all errors', values: column('errors'), color: '#4b5563'}];
    Object.keys(kinds).sort().forEach(function (k, i) {
      errorSeries.push({name: k, values: series.map(function (s) { return (s.by_error || {})[k] || 0; }), color: COLORS[(i + 2) % COLORS.length]});
    });
    charts.push(chart('errors', 'Errors by kind (per second)', errorSeries, fmtCount,
      {wholeY: true, note: Object.keys(kinds).length ? undefined : 'No request failed during the run.'}));
    charts.push(chart('users', 'Active users and open connections', [
      {name: 'active users', values: column('active_users')}, {name: 'open connections', values: column('open_connections'), color: '#16a34a'}],
      fmtCount, {wholeY: true}));
    if (series.some(function (s) { return s.target; })) {
      charts.push(chart('target-cpu', 'Target CPU (% of one core)', [{name: 'CPU', values: column('target.cpu_percent'), color: '#ea580c'}],
        function (v) { return isNumber(v) ? v.toFixed(0) + ' %' : '–'; }));
      charts.push(chart('target-memory', 'Target memory (RSS)', [{name: 'RSS', values: column('target.rss_bytes'), color: '#0891b2'}], fmtBytes));
    }
    return [el('h2', {}, ['Over time']), el('div', {class: 'charts'}, charts)];
  }

  // The percentile axis is HdrHistogram's: x = log10(1 / (1 - p)), so 90%, 99%, 99.9% are evenly spaced.
  function distributionChart(r, points) {
    var usable = points.filter(function (p) { return p.percentile < 100; });
    var note = 'From the whole run\'s HdrHistogram.';
    if (usable.length === 0 && r.latency_ms) {
      usable = [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['p999', 99.9]].map(function (k) {
        return {percentile: k[1], latency_ms: r.latency_ms[k[0]]};
      });
      note = 'From the percentiles in results.json (no latency_hdr).';
    }
    if (usable.length === 0) return [];
    var xs = usable.map(function (p) { return Math.log10(1 / (1 - p.percentile / 100)); });
    var last = Math.ceil(Math.max.apply(null, xs.concat([1])));
    var xTicks = [];
    for (var i = 0; i <= last; i++) {
      xTicks.push({value: i, label: i === 0 ? '0%' : (100 - Math.pow(10, 2 - i)).toFixed(Math.max(0, i - 2)) + '%'});
    }
    var thresholds = (r.sla || []).map(latencyThreshold).filter(function (t) { return t !== null && /^p\d+$/.test(t.stat); });
    var spec = {id: 'distribution', title: 'Latency by percentile (whole run)', xs: xs, xMin: 0, xTicks: xTicks,
      series: [{name: 'latency', values: usable.map(function (p) { return p.latency_ms; })}], thresholds: thresholds,
      yFormat: fmtMs, note: note + ' Max: ' + fmtMs(get(r, 'latency_ms.max')) + '.',
      xFormat: function (v) { return (100 * (1 - Math.pow(10, -v))).toFixed(4).replace(/\.?0+$/, '') + '%'; }};
    return [el('h2', {}, ['Latency distribution']), el('div', {class: 'charts'}, [lineChart(spec)])];
  }

  function statsTable(id, firstHeader, rows) {
    var head = [firstHeader, 'requests', 'errors', 'req/s', 'p50', 'p90', 'p95', 'p99', 'max'];
    var body = rows.map(function (row) {
      var b = row.block;
      return el('tr', {}, [el('td', {}, [row.label]), el('td', {}, [fmtCount(get(b, 'requests.total'))]),
        el('td', {}, [fmtCount(get(b, 'requests.errors'))]), el('td', {}, [fmtRate(b.throughput_rps)]),
        el('td', {}, [fmtMs(get(b, 'latency_ms.p50'))]), el('td', {}, [fmtMs(get(b, 'latency_ms.p90'))]),
        el('td', {}, [fmtMs(get(b, 'latency_ms.p95'))]), el('td', {}, [fmtMs(get(b, 'latency_ms.p99'))]),
        el('td', {}, [fmtMs(get(b, 'latency_ms.max'))])]);
    });
    return el('div', {class: 'panel table-wrap'}, [el('table', {id: id}, [
      el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', {}, [h]); }))]), el('tbody', {}, body)])]);
  }

  // Groups of steps: runs, failed runs and the duration of a run (think times included).
  function groupTable(groups) {
    var head = ['scenario / group', 'runs', 'failed', 'p50', 'p90', 'p95', 'p99', 'max'];
    var body = groups.map(function (g) {
      return el('tr', {}, [el('td', {}, [g.scenario + ' / ' + g.path]), el('td', {}, [fmtCount(g.runs)]),
        el('td', {}, [fmtCount(g.failed)]), el('td', {}, [fmtMs(get(g, 'duration_ms.p50'))]),
        el('td', {}, [fmtMs(get(g, 'duration_ms.p90'))]), el('td', {}, [fmtMs(get(g, 'duration_ms.p95'))]),
        el('td', {}, [fmtMs(get(g, 'duration_ms.p99'))]), el('td', {}, [fmtMs(get(g, 'duration_ms.max'))])]);
    });
    return el('div', {class: 'panel table-wrap'}, [el('table', {id: 'group-table'}, [
      el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', {}, [h]); }))]), el('tbody', {}, body)])]);
  }

  function tables(r) {
    var phases = (r.phases || []).map(function (p) {
      return {label: p.name + ' (' + p.model + ', ' + fmtSeconds(p.duration_s) + ')', block: p};
    });
    var steps = (r.steps || []).map(function (s) {
      return {label: s.scenario + ' / ' + (s.group ? s.group + ' / ' : '') + s.name, block: s};
    });
    var out = [el('h2', {}, ['Phases']), statsTable('phase-table', 'phase', phases),
               el('h2', {}, ['Steps']), statsTable('step-table', 'scenario / step', steps)];
    if ((r.groups || []).length) out.push(el('h2', {}, ['Groups']), groupTable(r.groups));
    var byError = get(r, 'requests.by_error') || {};
    if (Object.keys(byError).length) {
      out.push(el('h2', {}, ['Errors']));
      out.push(el('div', {class: 'panel table-wrap'}, [el('table', {id: 'error-table'}, [
        el('thead', {}, [el('tr', {}, [el('th', {}, ['kind']), el('th', {}, ['requests'])])]),
        el('tbody', {}, Object.keys(byError).sort().map(function (k) {
          return el('tr', {}, [el('td', {}, [k]), el('td', {}, [fmtCount(byError[k])])]);
        }))])]));
    }
    return out;
  }

  function render() {
    var r = JSON.parse(document.getElementById('surge-data').textContent);
    var main = document.getElementById('report');
    var sections = [].concat(header(r), [keyFigures(r)], slaSection(r), timeCharts(r),
                             distributionChart(r, r.distribution || []), tables(r));
    sections.push(el('footer', {}, ['Written by surge ' + (r.surge_version || '') +
      ' from results.json; rebuild it with `surge report results.json --out html=FILE`.']));
    sections.forEach(function (node) { main.appendChild(node); });
    Array.prototype.forEach.call(main.querySelectorAll('svg[data-label-rows]'), layoutPhaseLabels);
  }

  render();
})();
