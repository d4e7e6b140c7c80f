// surge compare's page: reads the comparison from the #surge-compare-data JSON (compare.json, see
// docs/compare.md, plus each scope's latency distributions) and draws, per scope, the table of metrics with
// their verdicts and the base and new latency distributions overlaid. No library, nothing from the network.
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var COLORS = {base: '#6b7280', 'new': '#2563eb'};

  // Text always goes in through textContent, so no name from a plan becomes markup.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isNumber(v) { return typeof v === 'number' && isFinite(v); }
  function fmtMs(v) {
    if (!isNumber(v)) return '–';
    if (v >= 100) return v.toFixed(0) + 'ms';
    if (v >= 10) return v.toFixed(1) + 'ms';
    if (v >= 1) return v.toFixed(2) + 'ms';
    return v.toFixed(3) + 'ms';
  }
  // The same texts as the terminal table (src/compare/format.cpp).
  function fmtValue(m, v) {
    if (!isNumber(v)) return '–';
    if (m.unit === '/s') return v.toFixed(1) + '/s';
    if (m.unit === '%') return v.toFixed(2) + '%';
    return fmtMs(v);
  }
  function signed(v, digits) { return (v >= 0 ? '+' : '') + v.toFixed(digits); }
  function fmtDelta(m, v) {
    if (!isNumber(v)) return '–';
    return m.delta_unit === 'pp' ? signed(v, 2) + 'pp' : signed(v, 1) + '%';
  }
  function fmtLimit(m) {
    if (!isNumber(m.limit)) return '–';
    return (m.limit >= 0 ? '+' : '') + m.limit + m.delta_unit;
  }
  function fmtNoise(m) {
    if (!isNumber(m.noise)) return '–';
    return '±' + m.noise.toFixed(m.delta_unit === 'pp' ? 2 : 1) + m.delta_unit;
  }
  function fmtUtc(unixMs) {
    if (!isNumber(unixMs) || unixMs <= 0) return '–';
    return new Date(unixMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function metricTable(scope, index) {
    var head = ['metric', 'base', 'new', 'delta', 'limit', 'noise', 'verdict'];
    var rows = scope.metrics.map(function (m) {
      return el('tr', {'data-metric': m.metric}, [
        el('td', {}, [m.metric]), el('td', {}, [fmtValue(m, m.base)]), el('td', {}, [fmtValue(m, m['new'])]),
        el('td', {}, [fmtDelta(m, m.delta)]), el('td', {}, [fmtLimit(m)]), el('td', {}, [fmtNoise(m)]),
        el('td', {'class': 'verdict', 'data-verdict': m.verdict}, [m.verdict.replace('_', ' ')])]);
    });
    return el('table', {'class': 'compare-table', id: 'scope-table-' + index}, [
      el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', {}, [h]); }))]), el('tbody', {}, rows)]);
  }

  // The percentile axis is HdrHistogram's: x = log10(1 / (1 - p)), so 90%, 99%, 99.9% are evenly spaced; the
  // 100% point (the max) is drawn at the right edge.
  function distributionChart(scope, index) {
    var width = 520, height = 260, left = 64, right = 16, top = 12, bottom = 36;
    var plotW = width - left - right, plotH = height - top - bottom;
    var lines = ['base', 'new'].map(function (name) {
      return {name: name, points: (scope.distribution || {})[name] || []};
    }).filter(function (line) { return line.points.length > 0; });
    if (lines.length === 0) return el('p', {'class': 'note'}, ['No latency histogram to draw.']);
    var xOf = function (p) { return Math.log10(1 / (1 - Math.min(p, 99.9999) / 100)); };
    var xMax = 1, yMax = 0;
    lines.forEach(function (line) {
      line.points.forEach(function (p) {
        if (p.percentile < 100) xMax = Math.max(xMax, xOf(p.percentile));
        yMax = Math.max(yMax, p.latency_ms);
      });
    });
    xMax = Math.ceil(xMax);
    yMax = yMax > 0 ? yMax * 1.05 : 1;
    function x(p) { return left + Math.min(p >= 100 ? xMax : xOf(p), xMax) / xMax * plotW; }
    function y(v) { return top + plotH - v / yMax * plotH; }
    var root = svg('svg', {width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img'});
    for (var i = 0; i <= 4; i++) {
      var v = yMax * i / 4;
      root.appendChild(svg('line', {'class': 'grid', x1: left, x2: left + plotW, y1: y(v), y2: y(v)}));
      root.appendChild(svg('text', {x: left - 6, y: y(v) + 4, 'text-anchor': 'end'}, fmtMs(v)));
    }
    for (var k = 0; k <= xMax; k++) {
      var label = k === 0 ? '0%' : (100 - Math.pow(10, 2 - k)).toFixed(Math.max(0, k - 2)) + '%';
      var at = left + k / xMax * plotW;
      root.appendChild(svg('line', {'class': 'grid', x1: at, x2: at, y1: top, y2: top + plotH}));
      root.appendChild(svg('text', {x: at, y: top + plotH + 16, 'text-anchor': 'middle'}, label));
    }
    root.appendChild(svg('text', {x: left + plotW / 2, y: height - 4, 'text-anchor': 'middle'}, 'percentile'));
    lines.forEach(function (line) {
      var d = line.points.map(function (p, j) {
        return (j === 0 ? 'M' : 'L') + x(p.percentile).toFixed(1) + ',' + y(p.latency_ms).toFixed(1);
      }).join(' ');
      root.appendChild(svg('path', {'class': 'series', 'data-series': line.name, 'data-points': line.points.length,
        d: d, stroke: COLORS[line.name]}));
    });
    var legend = el('div', {'class': 'legend'}, lines.map(function (line) {
      return el('span', {style: '--swatch: ' + COLORS[line.name]}, [line.name]);
    }));
    return el('figure', {'class': 'chart', 'data-chart': 'distribution-' + index}, [
      el('figcaption', {}, ['Latency by percentile (the last point of each line: its max)']), root, legend]);
  }

  function render() {
    var c = JSON.parse(document.getElementById('surge-compare-data').textContent);
    var main = document.getElementById('compare');
    main.appendChild(el('h1', {}, ['surge compare: ' + c.base.plan]));
    [['base', c.base], ['new', c['new']]].forEach(function (pair) {
      main.appendChild(el('p', {'class': 'runs'}, [pair[0] + ': ' + pair[1].file + ' (' + fmtUtc(pair[1].started_at_unix_ms) +
        ', ' + pair[1].duration_s.toFixed(2) + ' s, surge ' + pair[1].surge_version + ')']));
    });
    main.appendChild(el('div', {id: 'result', 'class': c.result}, [
      c.result === 'pass' ? 'pass: nothing regressed' : 'regressed: ' + c.regressed + ' metric(s) beyond their limits']));
    (c.notes || []).forEach(function (note) { main.appendChild(el('p', {'class': 'note'}, [note])); });
    c.scopes.forEach(function (scope, index) {
      main.appendChild(el('section', {'class': 'scope', 'data-scope': scope.label}, [
        el('h2', {}, [scope.label]),
        el('div', {'class': 'scope-body'}, [metricTable(scope, index), distributionChart(scope, index)])]));
    });
    main.appendChild(el('footer', {}, ['Written by surge ' + c.surge_version + ' (surge compare BASE.json NEW.json).']));
  }

  render();
})();
