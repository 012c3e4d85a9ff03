// mppmap's page script. It draws every chart whose container names a JSON config
// (data-config="<id of a <script type=application/json>>"), written by the Go server with the
// ECharts option already built. For maps it first fetches the GeoJSON layer and registers it:
// that is why the option is not drawn by go-echarts' own page template.
//
// Everything taken from data is HTML-escaped before it reaches innerHTML (tooltips).
(function () {
  'use strict';

  // Narrow screens get the legend below the map and no pan/zoom until the reader zooms in with
  // the buttons or the province picker, so a finger can still scroll the page past the map; a
  // tap there shows the region's details (and a link) instead of leaving the page.
  var NARROW = 600;

  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return ESC[c]; });
  }

  // Test hooks and timings: window.mppmap.charts[id] is the ECharts instance of a container.
  // pending[id] draws a chart that waits to come near the viewport (drawWhenNear); offscreen[id]
  // says the browser has reported it away from the viewport (so it is not part of the first view).
  var state = (window.mppmap = window.mppmap || { charts: {}, finished: {}, options: {}, pending: {}, offscreen: {}, asOf: '' });

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
        esc(labels.asOf) + ': ' + esc(d.asOf) +
        (d.source ? '<br>' + esc(labels.source) + ': ' + esc(d.source) : '') +
        (d.group != null ? '<br>' + esc(labels.group) + ': ' + esc(d.group) : '') +
        (d.pad != null ? '<br>' + esc(labels.pad) + ': ' + esc(d.pad) : '');
    };
  }

  // A province or locator map fills its box, so on a wide screen the legend gets a column of its
  // own at the left instead of covering the map; the national map's legend sits on the sea.
  var LEGEND_COLUMN = 215;
  function layoutFor(width, cfg, zoomed) {
    var narrow = width < NARROW;
    var side = !narrow && cfg && cfg.province;
    return {
      series: [{ roam: !narrow || !!zoomed, top: narrow ? 8 : 30, bottom: narrow ? 96 : 10, left: side ? LEGEND_COLUMN : 4, right: 4 }],
      // On a phone a zoomed map runs under the legend: a light backing keeps it readable.
      visualMap: [{ left: narrow ? 4 : 8, bottom: narrow ? 0 : 8, itemGap: narrow ? 6 : 10,
        backgroundColor: narrow ? 'rgba(255,255,255,0.85)' : 'transparent', padding: narrow ? 4 : 5 }],
    };
  }

  function showMessage(el, text) {
    el.textContent = '';
    var p = document.createElement('p');
    p.className = 'map-msg';
    p.textContent = text;
    el.appendChild(p);
  }

  // Map layers are fetched as soon as this script runs: it is the first deferred script, so the
  // ECharts bundle after it is still downloading and parsing while the layer arrives and is
  // decoded. The URL and mode (cors, same-origin credentials, no extra headers) are those of the
  // page's <link rel="preload" as="fetch" crossorigin>, so the browser reuses that response.
  var layers = {};
  function layer(url) {
    if (!layers[url]) {
      layers[url] = fetch(url, { credentials: 'same-origin' }).then(function (res) {
        if (!res.ok) throw new Error('mppmap: ' + url + ' answered ' + res.status);
        return res.json();
      });
      layers[url].catch(function () {}); // reported by drawMap, which may attach later
    }
    return layers[url];
  }
  var configs = {};
  function mapConfig(el) {
    if (!configs[el.id]) configs[el.id] = readConfig(el);
    return configs[el.id];
  }
  var early = document.querySelectorAll('.map[data-config]');
  for (var e = 0; e < early.length; e++) {
    try { layer(mapConfig(early[e]).geoURL); } catch (err) { /* drawMap reports it */ }
  }

  function drawMap(el) {
    var cfg;
    try { cfg = mapConfig(el); } catch (err) { return Promise.reject(err); }
    var t0 = performance.now();
    return layer(cfg.geoURL)
      .then(function (geo) {
        // A province page or locator map draws only that province's features (and a locator map's
        // neighbours across its border); the national layer is the one / already loaded.
        if (cfg.province) {
          var extra = {};
          (cfg.extra || []).forEach(function (c) { extra[c] = true; });
          geo = { type: 'FeatureCollection', features: geo.features.filter(function (f) {
            return f.properties && (f.properties.province_code === cfg.province || extra[f.properties.code]);
          }) };
        }
        window.echarts.registerMap(cfg.mapName, geo);
        el.textContent = '';
        var chart = window.echarts.init(el, null, { locale: cfg.locale, renderer: 'canvas' });
        state.charts[el.id] = chart;
        chart.on('finished', function () {
          if (!state.finished[el.id]) state.finished[el.id] = { ms: performance.now(), sinceFetch: performance.now() - t0 };
        });
        var detail = document.getElementById(el.id + '-detail');
        chart.on('click', function (p) {
          var code = (p.data && p.data.name) || p.name;
          if (!code || !cfg.regionURL) return;
          var url = cfg.regionURL + encodeURIComponent(code);
          if (detail && el.clientWidth < NARROW) {
            chart.dispatchAction({ type: 'hideTip' }); // the panel below says it, without hiding the map
            showDetail(detail, cfg, p, url);
            return;
          }
          // Inside an iframe on another site the region page opens in a new tab.
          if (document.body.classList.contains('embed')) window.open(url, '_blank', 'noopener');
          else window.location.href = url;
        });
        state.options[el.id] = cfg;
        var option = cfg.option;
        // confine: a tooltip near the edge must not widen the page on a phone.
        option.tooltip = Object.assign({}, option.tooltip, { confine: true, formatter: tooltipFormatter(cfg.labels) });
        // The layout for this width goes into the first setOption: one render, not two.
        var lay = layoutFor(el.clientWidth, cfg);
        option.series[0] = Object.assign({}, option.series[0], lay.series[0]);
        if (option.visualMap && option.visualMap[0]) option.visualMap[0] = Object.assign({}, option.visualMap[0], lay.visualMap[0]);
        chart.setOption(option);
        setupControls(el, chart, cfg);
        var pending = 0;
        window.addEventListener('resize', function () {
          cancelAnimationFrame(pending);
          pending = requestAnimationFrame(function () {
            chart.setOption(layoutFor(el.clientWidth, cfg, zoomOf(chart) > 1));
            chart.resize();
          });
        });
      })
      .catch(function (err) {
        showMessage(el, cfg ? cfg.labels.error : String(err));
        throw err;
      });
  }

  // A tapped region's details on a narrow screen: the tooltip's lines (escaped by
  // tooltipFormatter) and a link to its page.
  function showDetail(box, cfg, p, url) {
    box.innerHTML = tooltipFormatter(cfg.labels)(p);
    var line = document.createElement('p');
    var a = document.createElement('a');
    a.href = url;
    a.textContent = box.getAttribute('data-open');
    line.appendChild(a);
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'map-detail-close';
    close.textContent = '×';
    close.setAttribute('aria-label', box.getAttribute('data-close'));
    close.addEventListener('click', function () { box.hidden = true; });
    box.insertBefore(close, box.firstChild);
    box.appendChild(line);
    box.hidden = false;
  }

  function zoomOf(chart) {
    var s = chart.getOption().series[0];
    return (s && s.zoom) || 1;
  }

  // The zoom buttons and province picker under a map (rendered hidden by the server). The view
  // is the series' own zoom and center, which ECharts also updates when the reader pans or
  // pinches, so buttons and gestures agree.
  var ZOOM_STEP = 1.6;
  function setupControls(el, chart, cfg) {
    var box = document.querySelector('.map-controls[data-map="' + el.id + '"]');
    if (!box) return;
    function view(zoom, center) {
      zoom = Math.max(1, Math.min(60, zoom));
      var s = { zoom: zoom, roam: el.clientWidth >= NARROW || zoom > 1 };
      if (center !== undefined) s.center = center;
      chart.setOption({ series: [s] });
    }
    var pick = box.querySelector('select[data-pick]');
    box.addEventListener('click', function (ev) {
      var b = ev.target.closest ? ev.target.closest('button[data-zoom]') : null;
      if (!b) return;
      var how = b.getAttribute('data-zoom');
      if (how === 'in') view(zoomOf(chart) * ZOOM_STEP);
      else if (how === 'out') view(zoomOf(chart) / ZOOM_STEP);
      else {
        view(1, null);
        if (pick) pick.value = '';
      }
    });
    if (pick) {
      pick.addEventListener('change', function () {
        var o = pick.options[pick.selectedIndex];
        if (!o || !o.value) { view(1, null); return; }
        view(+o.getAttribute('data-zoom'), o.getAttribute('data-center').split(',').map(Number));
      });
    }
    box.hidden = false;
  }

  // showOnMap highlights a region (by code) on a drawn map and opens its tooltip, scrolling the
  // map into view; it reports whether the region is on that map.
  function showOnMap(id, code) {
    var chart = state.charts[id];
    if (!chart) return false;
    var data = chart.getOption().series[0].data || [];
    var idx = -1;
    for (var i = 0; i < data.length; i++) if (data[i].name === code) { idx = i; break; }
    if (idx < 0) return false;
    var el = document.getElementById(id);
    if (el && el.scrollIntoView) el.scrollIntoView({ block: 'center' });
    chart.dispatchAction({ type: 'downplay', seriesIndex: 0 });
    chart.dispatchAction({ type: 'highlight', seriesIndex: 0, dataIndex: idx });
    chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: idx });
    return true;
  }
  state.showOnMap = showOnMap;

  // Search as you type over the index the page embeds (provinces and regions): case- and
  // accent-insensitive substring match, up to 8 links; Enter opens the first.
  function fold(s) {
    s = String(s).toLowerCase();
    return s.normalize ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : s;
  }
  function setupSearch(input) {
    var src = document.getElementById(input.getAttribute('data-index'));
    var out = document.getElementById(input.getAttribute('aria-controls'));
    if (!src || !out) return;
    var index = JSON.parse(src.textContent).map(function (e) { return { e: e, k: fold(e.n) }; });
    var mapID = input.getAttribute('data-map'), showLabel = input.getAttribute('data-show');
    function render() {
      var q = fold(input.value.trim());
      out.textContent = '';
      if (!q) return;
      var hits = [];
      for (var i = 0; i < index.length && hits.length < 8; i++) {
        if (index[i].k.indexOf(q) === 0) hits.push(index[i].e);
      }
      for (var j = 0; j < index.length && hits.length < 8; j++) {
        if (index[j].k.indexOf(q) > 0 && hits.indexOf(index[j].e) < 0) hits.push(index[j].e);
      }
      if (!hits.length) {
        var none = document.createElement('li');
        none.className = 'muted';
        none.textContent = input.getAttribute('data-none');
        out.appendChild(none);
        return;
      }
      hits.forEach(function (e) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = e.u;
        a.textContent = e.n; // textContent: names are data, never markup
        var sub = document.createElement('span');
        sub.className = 'muted';
        sub.textContent = ' · ' + e.s;
        li.appendChild(a);
        li.appendChild(sub);
        // A region can also be shown on the page's map: highlighted, with its tooltip.
        var code = /\/wilayah\/([^/?#]+)$/.exec(e.u);
        if (code && mapID && showLabel) {
          var btn = document.createElement('button');
          btn.type = 'button';
          btn.className = 'linkish';
          btn.textContent = showLabel;
          btn.addEventListener('click', function () { showOnMap(mapID, decodeURIComponent(code[1])); });
          li.appendChild(document.createTextNode(' '));
          li.appendChild(btn);
        }
        out.appendChild(li);
      });
    }
    input.addEventListener('input', render);
    input.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter') return;
      var first = out.querySelector('a');
      if (first) { ev.preventDefault(); window.location.href = first.href; }
    });
    render();
  }

  // A chart without geometry (line, bar): the option is complete as the server wrote it.
  function drawChart(el) {
    var cfg = readConfig(el);
    el.textContent = '';
    var t0 = performance.now();
    var chart = window.echarts.init(el, null, { locale: cfg.locale, renderer: 'canvas' });
    state.charts[el.id] = chart;
    state.options[el.id] = cfg;
    chart.on('finished', function () {
      if (!state.finished[el.id]) state.finished[el.id] = { ms: performance.now(), drawMs: performance.now() - t0 };
    });
    // confine: a tooltip near the edge must not widen the page on a phone.
    cfg.option.tooltip = Object.assign({}, cfg.option.tooltip, { confine: true });
    chart.setOption(cfg.option);
    window.addEventListener('resize', function () { chart.resize(); });
  }

  // A chart (not a map) is drawn when it comes within 200 px of the viewport: on / the progress
  // chart sits below the map, and drawing it at load would hold the map back (~75 ms on a slow
  // machine). Printing and the PNG button draw a chart that is still waiting.
  function drawWhenNear(el) {
    var draw = function () {
      if (!state.pending[el.id]) return;
      delete state.pending[el.id];
      delete state.offscreen[el.id];
      try { drawChart(el); } catch (err) { console.error(err); }
    };
    state.pending[el.id] = draw;
    if (!('IntersectionObserver' in window)) { draw(); return; }
    var io = new IntersectionObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].isIntersecting) { io.disconnect(); draw(); return; }
      }
      if (state.pending[el.id]) state.offscreen[el.id] = true;
    }, { rootMargin: '200px 0px' });
    io.observe(el);
  }
  function drawPending() {
    Object.keys(state.pending).forEach(function (id) { state.pending[id](); });
  }
  window.addEventListener('beforeprint', drawPending);

  // Time slider: month steps from data-start; the last step is the current status. The chosen
  // day is kept in the URL (?as_of=YYYY-MM-DD) and in the language switch, so the view survives
  // a reload, a shared link and a change of language.
  function monthEnd(start, step) {
    var y = +start.slice(0, 4), m = +start.slice(5, 7) - 1 + step;
    var d = new Date(Date.UTC(y, m + 1, 0));
    return d.toISOString().slice(0, 10);
  }
  function setupTime(box) {
    var el = document.getElementById(box.getAttribute('data-map'));
    var slider = box.querySelector('input[type=range]');
    var out = box.querySelector('output');
    var play = box.querySelector('button');
    var start = box.getAttribute('data-start');
    var months = (box.getAttribute('data-months') || '').split(',');
    // "31 Desember 2019": a month-end day, written as the server writes dates at day precision.
    function dayLabel(day) {
      var mo = months[+day.slice(5, 7) - 1];
      return mo ? +day.slice(8, 10) + ' ' + mo + ' ' + day.slice(0, 4) : day;
    }
    var max = +slider.max;
    var base = null; // the page's own (current) data items
    var seq = 0;
    var timer = 0;
    box.hidden = false;

    function keepInURL(day) {
      var q = day ? '?as_of=' + day : '';
      history.replaceState(null, '', location.pathname + q);
      var links = document.querySelectorAll('.lang-switch, a[data-keep-query]');
      for (var i = 0; i < links.length; i++) links[i].setAttribute('href', links[i].getAttribute('href').split('?')[0] + q);
    }
    function figures(counts, total) {
      var lis = document.querySelectorAll('.figures .figure[data-status]');
      for (var i = 0; i < lis.length; i++) {
        var st = lis[i].getAttribute('data-status');
        var n = counts[st] || 0;
        lis[i].querySelector('.count').textContent = String(n);
        var share = total ? (100 * n / total).toFixed(1) : '–';
        if (document.documentElement.lang === 'id') share = share.replace('.', ',');
        lis[i].querySelector('.share').textContent = '(' + share + '%)';
      }
    }
    function apply(step) {
      var chart = state.charts[el.id], cfg = state.options[el.id];
      if (!chart || !cfg) return;
      if (!base) base = chart.getOption().series[0].data;
      var my = ++seq;
      if (step >= max) {
        out.textContent = box.getAttribute('data-now');
        chart.setOption({ series: [{ data: base }] });
        var c = {};
        base.forEach(function (d) { c[d.status] = (c[d.status] || 0) + 1; });
        figures(c, base.length);
        state.asOf = '';
        keepInURL('');
        return Promise.resolve();
      }
      var day = monthEnd(start, step);
      out.textContent = dayLabel(day);
      return fetch('/api/v1/status?as_of=' + day, { credentials: 'same-origin' })
        .then(function (res) {
          if (!res.ok) throw new Error('mppmap: status as of ' + day + ' answered ' + res.status);
          return res.json();
        })
        .then(function (body) {
          if (my !== seq) return; // a later step won
          var at = {};
          body.regions.forEach(function (r) { at[r.code] = r; });
          var data = base.map(function (d) {
            var r = at[d.name];
            if (!r) return d;
            var st = cfg.statuses[r.status] || cfg.statuses.unknown;
            // A past status comes from site dates and history, not from today's sources.
            return Object.assign({}, d, { value: st.value, status: r.status, statusLabel: st.label, asOf: r.since || '—',
              source: cfg.labels.past });
          });
          chart.setOption({ series: [{ data: data }] });
          figures(body.counts, data.length);
          state.asOf = day;
          keepInURL(day);
        })
        .catch(function (err) { console.error(err); });
    }
    var pending = 0;
    slider.addEventListener('input', function () {
      clearTimeout(pending);
      pending = setTimeout(function () { apply(+slider.value); }, 120);
    });
    play.addEventListener('click', function () {
      if (timer) {
        clearInterval(timer);
        timer = 0;
        play.textContent = box.getAttribute('data-play');
        return;
      }
      if (+slider.value >= max) slider.value = 0;
      play.textContent = box.getAttribute('data-pause');
      apply(+slider.value);
      timer = setInterval(function () {
        var v = +slider.value + 3;
        if (v >= max) { v = max; clearInterval(timer); timer = 0; play.textContent = box.getAttribute('data-play'); }
        slider.value = v;
        apply(v);
      }, 500);
    });
    // A permalink with ?as_of=YYYY-MM-DD: start there once the map is drawn.
    var m = /[?&]as_of=(\d{4})-(\d{2})-\d{2}/.exec(location.search);
    if (m) {
      var step = (+m[1] - +start.slice(0, 4)) * 12 + (+m[2] - +start.slice(5, 7));
      step = Math.max(0, Math.min(max, step));
      slider.value = step;
      var wait = setInterval(function () {
        if (state.charts[el.id] && state.finished[el.id]) { clearInterval(wait); apply(step); }
      }, 50);
    }
  }

  // CSV of a table twin, exactly as shown: header and body rows, cell text with whitespace
  // collapsed, RFC 4180 quoting, CRLF, and a UTF-8 byte order mark so spreadsheet programs read
  // names with accents correctly. A cell that a spreadsheet would run as a formula (=, +, @, or
  // - not followed by a digit) is prefixed with ' — cells hold data-derived names.
  function csvCell(s) {
    s = String(s).replace(/\s+/g, ' ').trim();
    if (/^[=+@\t\r]/.test(s) || /^-(?![0-9])/.test(s)) s = "'" + s;
    return /[",;\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function tableCSV(selector) {
    var table = document.querySelector(selector);
    if (!table) return '';
    var lines = [];
    var rows = table.querySelectorAll('tr');
    for (var i = 0; i < rows.length; i++) {
      var cells = rows[i].querySelectorAll('th, td');
      var out = [];
      for (var j = 0; j < cells.length; j++) out.push(csvCell(cells[j].textContent));
      lines.push(out.join(','));
    }
    return '\uFEFF' + lines.join('\r\n') + '\r\n';
  }
  state.tableCSV = tableCSV;
  function setupCSV(btn) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var blob = new Blob([tableCSV(btn.getAttribute('data-csv'))], { type: 'text/csv;charset=utf-8' });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = btn.getAttribute('data-name') || 'mppmap.csv';
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
  }

  // PNG of a chart as drawn (ECharts' getDataURL at twice the pixels, on white), from a button
  // of ours rather than ECharts' toolbox: reachable by keyboard, and not in the bundle.
  function setupPNG(btn) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var id = btn.getAttribute('data-png');
      if (state.pending[id]) state.pending[id]();
      var chart = state.charts[id];
      if (!chart) return;
      var a = document.createElement('a');
      a.href = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
      a.download = btn.getAttribute('data-name') || 'mppmap.png';
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  }

  // A chart as a print-ready SVG file: the chart as drawn (its current option), redrawn by
  // ECharts' SVG renderer from a bundle loaded on the first request (it is in no page's first
  // load), with the section's heading as title and the source line under it.
  var svgBundle = null;
  function loadSVGBundle() {
    if (!svgBundle) {
      svgBundle = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = document.body.getAttribute('data-svg-bundle');
        s.onload = function () { resolve(window.echartsSVG); };
        s.onerror = function () { svgBundle = null; reject(new Error('mppmap: SVG bundle did not load')); };
        document.head.appendChild(s);
      });
    }
    return svgBundle;
  }
  function px(v, dflt) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d+(px)?$/.test(v)) return parseInt(v, 10);
    return dflt;
  }
  function chartHeading(el) {
    var sec = el.closest ? el.closest('section') : null;
    var h = sec && sec.querySelector('h2, h3');
    if (!h) h = document.querySelector('h1');
    return h ? h.textContent.replace(/\s+/g, ' ').trim() : document.title;
  }
  var SVG_TITLE = 56, SVG_FOOT = 40;
  function chartSVG(id) {
    var chart = state.charts[id];
    var el = document.getElementById(id);
    return loadSVGBundle().then(function (lib) {
      var w = Math.max(800, el.clientWidth), h = Math.max(420, el.clientHeight);
      var out = lib.init(null, null, { renderer: 'svg', ssr: true, width: w, height: h + SVG_TITLE + SVG_FOOT, locale: (state.options[id] || {}).locale });
      var opt = chart.getOption();
      delete opt.tooltip;
      opt.animation = false;
      opt.backgroundColor = '#ffffff';
      opt.title = [{ text: chartHeading(el), left: 12, top: 10, textStyle: { fontSize: 17, fontWeight: 'bold', color: '#1a1a1a' } }];
      opt.grid = (opt.grid || [{}]).map(function (g) {
        return Object.assign({}, g, { top: px(g.top, 60) + SVG_TITLE, bottom: px(g.bottom, 60) + SVG_FOOT });
      });
      (opt.legend || []).forEach(function (l) { if (l.bottom != null) l.bottom = px(l.bottom, 0) + SVG_FOOT; });
      opt.graphic = [{ type: 'text', left: 12, bottom: 12,
        style: { text: document.body.getAttribute('data-svg-source') + ' · ' + location.href.split('#')[0], fontSize: 11, fill: '#333333' } }];
      out.setOption(opt);
      var svg = out.renderToSVGString();
      out.dispose();
      return svg;
    });
  }
  state.chartSVG = chartSVG;
  function setupSVGChart(btn) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var id = btn.getAttribute('data-svg-chart');
      if (state.pending[id]) state.pending[id]();
      if (!state.charts[id]) return;
      chartSVG(id).then(function (svg) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
        a.download = btn.getAttribute('data-name') || 'mppmap.svg';
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
      }).catch(function (err) { console.error(err); });
    });
  }

  // The region page is cached for every reader, so its "send the source" form carries no token:
  // the first time a reader touches the form, a fresh one is fetched (issued now, valid after a
  // few seconds, as a person types). Without JavaScript the server asks to confirm instead.
  function setupSubmitForm(form) {
    var fetched = false;
    form.addEventListener('focusin', function () {
      var field = form.querySelector('input[name="token"]');
      if (fetched || !field || field.value) return;
      fetched = true;
      fetch(form.getAttribute('data-token-url'), { credentials: 'same-origin' })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (body) { if (body && body.token) field.value = body.token; })
        .catch(function () { fetched = false; });
    });
  }

  function start() {
    var forms = document.querySelectorAll('form.submit-form[data-token-url]');
    for (var sf = 0; sf < forms.length; sf++) setupSubmitForm(forms[sf]);
    var svgc = document.querySelectorAll('button[data-svg-chart]');
    for (var v = 0; v < svgc.length; v++) setupSVGChart(svgc[v]);
    var csv = document.querySelectorAll('button[data-csv]');
    for (var b = 0; b < csv.length; b++) setupCSV(csv[b]);
    var png = document.querySelectorAll('button[data-png]');
    for (var g = 0; g < png.length; g++) setupPNG(png[g]);
    var times = document.querySelectorAll('.time[data-map]');
    for (var t = 0; t < times.length; t++) setupTime(times[t]);
    var inputs = document.querySelectorAll('input[data-index]');
    for (var k = 0; k < inputs.length; k++) setupSearch(inputs[k]);
    var els = document.querySelectorAll('.map[data-config]');
    for (var i = 0; i < els.length; i++) {
      drawMap(els[i]).catch(function (err) { console.error(err); });
    }
    var charts = document.querySelectorAll('.chart[data-config]');
    for (var c = 0; c < charts.length; c++) drawWhenNear(charts[c]);
  }

  // As the first deferred script this runs before the bundle: draw once every deferred script
  // has run (DOMContentLoaded), i.e. once window.echarts exists.
  if (document.readyState === 'complete') start();
  else document.addEventListener('DOMContentLoaded', start);
})();
