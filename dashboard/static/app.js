// mppmap's page script. It draws every chart whose container names a JSON config
// (data-config="<id of a <script type=application/json>>"), written by the Go server with the
// ECharts option already built. For maps it first fetches the GeoJSON layer and registers it:
// that is why the option is not drawn by go-echarts' own page template.
//
// Everything taken from data is HTML-escaped before it reaches innerHTML (tooltips).
(function () {
  'use strict';

  // Narrow screens get the legend below the map and no pan/zoom, so a finger can still scroll
  // the page past the map.
  var NARROW = 600;

  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return ESC[c]; });
  }

  // Test hooks and timings: window.mppmap.charts[id] is the ECharts instance of a container.
  var state = (window.mppmap = window.mppmap || { charts: {}, finished: {} });

  function readConfig(el) {
    var src = document.getElementById(el.getAttribute('data-config'));
    if (!src) throw new Error('mppmap: no config element for #' + el.id);
    return JSON.parse(src.textContent);
  }

  function tooltipFormatter(labels) {
    return function (p) {
      var d = p.data;
      if (!d) return '<strong>' + esc(p.name) + '</strong>';
      return '<strong>' + esc(d.region) + '</strong><br>' +
        esc(labels.province) + ': ' + esc(d.province) + '<br>' +
        esc(labels.status) + ': ' + esc(d.statusLabel) + '<br>' +
        esc(labels.asOf) + ': ' + esc(d.asOf);
    };
  }

  function layoutFor(width) {
    var narrow = width < NARROW;
    return {
      series: [{ roam: !narrow, top: narrow ? 8 : 30, bottom: narrow ? 96 : 10, left: 4, right: 4 }],
      visualMap: [{ left: narrow ? 4 : 8, bottom: narrow ? 0 : 8, itemGap: narrow ? 6 : 10 }],
    };
  }

  function showMessage(el, text) {
    el.textContent = '';
    var p = document.createElement('p');
    p.className = 'map-msg';
    p.textContent = text;
    el.appendChild(p);
  }

  function drawMap(el) {
    var cfg = readConfig(el);
    var t0 = performance.now();
    return fetch(cfg.geoURL, { credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json' } })
      .then(function (res) {
        if (!res.ok) throw new Error('mppmap: ' + cfg.geoURL + ' answered ' + res.status);
        return res.json();
      })
      .then(function (geo) {
        window.echarts.registerMap(cfg.mapName, geo);
        el.textContent = '';
        var chart = window.echarts.init(el, null, { locale: cfg.locale, renderer: 'canvas' });
        state.charts[el.id] = chart;
        chart.on('finished', function () {
          if (!state.finished[el.id]) state.finished[el.id] = { ms: performance.now(), sinceFetch: performance.now() - t0 };
        });
        chart.on('click', function (p) {
          var code = (p.data && p.data.name) || p.name;
          if (code && cfg.regionURL) window.location.href = cfg.regionURL + encodeURIComponent(code);
        });
        var option = cfg.option;
        // confine: a tooltip near the edge must not widen the page on a phone.
        option.tooltip = Object.assign({}, option.tooltip, { confine: true, formatter: tooltipFormatter(cfg.labels) });
        chart.setOption(option);
        chart.setOption(layoutFor(el.clientWidth));
        var pending = 0;
        window.addEventListener('resize', function () {
          cancelAnimationFrame(pending);
          pending = requestAnimationFrame(function () {
            chart.setOption(layoutFor(el.clientWidth));
            chart.resize();
          });
        });
      })
      .catch(function (err) {
        showMessage(el, cfg.labels.error);
        throw err;
      });
  }

  function start() {
    var els = document.querySelectorAll('.map[data-config]');
    for (var i = 0; i < els.length; i++) {
      drawMap(els[i]).catch(function (err) { console.error(err); });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
