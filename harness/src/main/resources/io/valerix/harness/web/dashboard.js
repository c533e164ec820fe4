/*
 * Valerix dashboard. Everything it shows arrives as server-sent events from /dashboard/events
 * (one "history" event, then a "sample" every second); the storefront talks to the order
 * service's own POST /orders and GET /orders/{id}; gremlin changes go through
 * /dashboard/api/gremlin.
 *
 * The dashboard's API and event stream need the admin token. It comes in the URL fragment
 * (#token=…), which browsers never send to a server, is removed from the address bar at once,
 * and lives in this script's memory only; every call sends it as an Authorization header. The
 * event stream is read with fetch() for that reason: EventSource cannot send headers.
 */
(function () {
  'use strict';

  /** The lights, in the order of their cards; each card is cloned from the page's one template. */
  var SCOPE_CARDS = [
    { id: 'order', title: 'Order service', what: 'every request it answered', rate: 'req/s', pending: true,
      chart: 'Order service p50 and p99 latency over the last minutes' },
    { id: 'inventory', title: 'Inventory service', what: 'every request it answered', rate: 'req/s', pending: false,
      chart: 'Inventory service p50 and p99 latency over the last minutes' },
    { id: 'inventory-from-order', title: 'Inventory, seen from orders', what: "the order service's calls to inventory",
      rate: 'calls/s', pending: false, chart: "Latency of the order service's calls to inventory over the last minutes" }
  ];
  var SCOPES = SCOPE_CARDS.map(function (card) { return card.id; });
  var CHART_HEIGHT = 170;

  function $(id) { return document.getElementById(id); }

  // ---------------------------------------------------------------- formatting

  function fmtMs(v) {
    if (v === null || v === undefined) return '–';
    if (v >= 1000) return (v / 1000).toFixed(v >= 10000 ? 1 : 2) + ' s';
    if (v >= 100) return Math.round(v) + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    return v.toFixed(2) + ' ms';
  }
  /** A setting, not a measurement: 1000 is "1 s", 900 is "900 ms", 1500 is "1.5 s". */
  function fmtSetting(v) {
    if (v >= 1000) return String(Math.round(v / 10) / 100) + ' s';
    return Math.round(v) + ' ms';
  }
  function fmtAxisMs(v) {
    if (v >= 1000) return (v / 1000).toFixed(v % 1000 === 0 ? 0 : 1) + ' s';
    return Math.round(v) + ' ms';
  }
  function fmtRate(v) { return v === null || v === undefined ? '–' : (v >= 100 ? Math.round(v) : v.toFixed(1)); }
  function fmtPercent(v) {
    if (v === null || v === undefined) return '–';
    if (v === 0) return '0%';
    var p = v * 100;
    return (p < 1 ? p.toFixed(2) : p.toFixed(1)) + '%';
  }
  function fmtTime(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }
  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
  }

  // ---------------------------------------------------------------- charts

  var charts = {};
  var historyMs = 5 * 60 * 1000;
  var intervalMs = 1000;

  function makeChart(id) {
    var el = document.querySelector('[data-chart="' + id + '"]');
    if (!el || typeof uPlot === 'undefined') return null;
    var data = [[], [], [], []];
    var opts = {
      width: Math.max(220, el.clientWidth),
      height: CHART_HEIGHT,
      padding: [8, 8, 0, 0],
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: false },
      scales: {
        x: { time: true },
        y: {
          range: function (u, min, max) {
            var threshold = charts[id] ? charts[id].threshold : 1000;
            return [0, Math.max((max || 0) * 1.15, threshold * 1.25)];
          }
        }
      },
      series: [
        { value: function (u, v) { return v === null ? '–' : fmtTime(v * 1000); } },
        { label: 'p50', stroke: cssVar('--p50'), width: 2, spanGaps: false, value: function (u, v) { return fmtMs(v); } },
        { label: 'p99', stroke: cssVar('--p99'), width: 2, spanGaps: false, value: function (u, v) { return fmtMs(v); } },
        { label: 'threshold', stroke: cssVar('--red'), width: 1.5, dash: [6, 5], points: { show: false },
          value: function (u, v) { return fmtMs(v); } }
      ],
      axes: [
        { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line'), width: 1 }, ticks: { stroke: cssVar('--line') },
          space: 80, values: function (u, vals) { return vals.map(function (v) { return fmtTime(v * 1000); }); } },
        { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line'), width: 1 }, ticks: { stroke: cssVar('--line') },
          size: 62, values: function (u, vals) { return vals.map(fmtAxisMs); } }
      ]
    };
    var chart = { el: el, data: data, threshold: 1000, plot: new uPlot(opts, data, el) };
    var legend = document.createElement('div');
    legend.className = 'legend';
    legend.setAttribute('aria-hidden', 'true');
    legend.innerHTML = '<span class="key key-p50">p50</span><span class="key key-p99">p99</span>'
      + '<span class="key key-threshold">threshold</span><span class="muted">over the rolling window</span>';
    el.parentNode.insertBefore(legend, el);
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(function () {
        var w = Math.max(220, el.clientWidth);
        if (w !== chart.plot.width) chart.plot.setSize({ width: w, height: CHART_HEIGHT });
      }).observe(el);
    }
    return chart;
  }

  function chartFor(id) {
    if (!charts[id]) charts[id] = makeChart(id);
    return charts[id];
  }

  function trim(chart) {
    var t = chart.data[0];
    var cutoff = (t.length ? t[t.length - 1] : 0) - historyMs / 1000;
    var drop = 0;
    while (drop < t.length && t[drop] < cutoff) drop++;
    if (drop > 0) chart.data.forEach(function (col) { col.splice(0, drop); });
  }

  function onHistory(h) {
    intervalMs = h.intervalMs || intervalMs;
    historyMs = h.historyMs || historyMs;
    SCOPES.forEach(function (id) {
      var chart = chartFor(id);
      var cols = h.scopes && h.scopes[id];
      if (!chart) return;
      if (cols && cols.thresholdMs) chart.threshold = cols.thresholdMs;
      chart.data = [
        h.t.slice(),
        cols ? cols.p50Ms.slice() : h.t.map(function () { return null; }),
        cols ? cols.p99Ms.slice() : h.t.map(function () { return null; }),
        h.t.map(function () { return chart.threshold; })
      ];
      chart.plot.setData(chart.data);
    });
  }

  function addPoint(id, atMs, scope) {
    var chart = chartFor(id);
    if (!chart) return;
    chart.threshold = scope.thresholdMs;
    var t = atMs / 1000;
    var last = chart.data[0].length ? chart.data[0][chart.data[0].length - 1] : null;
    if (last !== null && t <= last) return; // a sample already charted (sent again after a reconnect)
    chart.data[0].push(t);
    chart.data[1].push(scope.p50Ms);
    chart.data[2].push(scope.p99Ms);
    chart.data[3].push(scope.thresholdMs);
    trim(chart);
    chart.plot.setData(chart.data);
  }

  // ---------------------------------------------------------------- lights and figures

  function renderScope(scope) {
    var card = $('scope-' + scope.id);
    if (!card) return;
    card.setAttribute('data-light', scope.light);
    $('light-' + scope.id).textContent = scope.light;
    var why;
    if (scope.light === 'IDLE') {
      why = 'no requests in the last ' + Math.round(scope.windowMs / 1000) + ' s';
    } else if (scope.light === 'RED') {
      why = 'p99 ' + fmtMs(scope.p99Ms) + ', at or over the ' + fmtSetting(scope.thresholdMs) + ' threshold'
        + ' (GREEN again under ' + fmtSetting(scope.recoveryMs) + ')';
    } else {
      why = 'p99 ' + fmtMs(scope.p99Ms) + ', under the ' + fmtSetting(scope.thresholdMs) + ' threshold';
    }
    $('why-' + scope.id).textContent = why;
    card.querySelectorAll('[data-figure]').forEach(function (dd) {
      var name = dd.getAttribute('data-figure');
      var v = scope[name];
      dd.textContent = name === 'ratePerSecond' ? fmtRate(v) : name === 'errorRate' ? fmtPercent(v) : fmtMs(v);
    });
    var list = card.querySelector('.changes ol');
    var items = scope.transitions.slice(-4).reverse().map(function (t) {
      var li = document.createElement('li');
      li.textContent = fmtTime(t.atMs) + '  ' + t.from + ' → ' + t.to + (t.to === 'IDLE' ? '' : '  (p99 ' + fmtMs(t.p99Ms) + ')');
      return li;
    });
    if (!items.length) {
      var none = document.createElement('li');
      none.className = 'muted';
      none.textContent = 'none yet';
      items.push(none);
    }
    list.replaceChildren.apply(list, items);
  }

  var knownStock = {};

  function renderStock(stock) {
    var tbody = $('stock-table').querySelector('tbody');
    if (!stock) return;
    var rows = stock.map(function (s) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-sku', s.sku);
      if (knownStock[s.sku] !== undefined && knownStock[s.sku] !== s.available) tr.className = 'changed';
      [s.sku, s.available, s.reserved, s.total].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = String(v);
        tr.appendChild(td);
      });
      return tr;
    });
    tbody.replaceChildren.apply(tbody, rows);
    var select = $('sku');
    var skus = stock.map(function (s) { return s.sku; });
    var current = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (skus.join(',') !== current.join(',')) {
      var chosen = select.value;
      select.replaceChildren.apply(select, skus.map(function (sku) {
        var o = document.createElement('option');
        o.value = sku;
        o.textContent = sku;
        return o;
      }));
      if (skus.indexOf(chosen) >= 0) select.value = chosen;
    }
    knownStock = {};
    stock.forEach(function (s) { knownStock[s.sku] = s.available; });
  }

  function renderGremlin(g) {
    if (!g) return;
    $('gremlin-spec').textContent = g.spec;
    $('gremlin-seed').textContent = String(g.seed);
    var c = g.counts || {};
    $('gremlin-counts').textContent = (c.decisions || 0) + ' decided · '
      + ((c.delay_before || 0) + (c.delay_after || 0)) + ' delayed · ' + (c.error || 0) + ' errors · '
      + (c.reset || 0) + ' resets · ' + (c.noresponse || 0) + ' unanswered · ' + (c.slowbody || 0) + ' slow bodies';
  }

  var lastSampleAt = 0;

  function onSample(s) {
    lastSampleAt = Date.now();
    s.scopes.forEach(function (scope) {
      renderScope(scope);
      addPoint(scope.id, s.atMs, scope);
    });
    var order = s.scopes[0];
    $('threshold').textContent = 'RED when p99 ≥ ' + fmtSetting(order.thresholdMs) + ' over the last ' + fmtSetting(order.windowMs);
    $('updated').textContent = 'updated ' + fmtTime(s.atMs);
    var pending = s.orders ? (s.orders.PENDING || 0) : null;
    $('pending-orders').textContent = pending === null ? '–' : String(pending);
    $('pending-orders').parentElement.setAttribute('data-nonzero', pending ? 'true' : 'false');
    renderStock(s.stock);
    renderGremlin(s.gremlin);
    setConnection('live', 'Live');
  }

  // ---------------------------------------------------------------- live connection

  var stream = null; // the AbortController of the open event stream
  var reconnectTimer = null;
  var retryMs = 2000;

  function setConnection(state, text) {
    var el = $('connection');
    el.setAttribute('data-state', state);
    el.textContent = text;
  }

  function authHeaders(extra) {
    var headers = extra || {};
    if (adminToken) headers['Authorization'] = 'Bearer ' + adminToken;
    return headers;
  }

  function disconnect() {
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    if (stream) { stream.abort(); stream = null; }
  }

  function scheduleReconnect() {
    if (reconnectTimer || !adminToken) return;
    reconnectTimer = setTimeout(function () { reconnectTimer = null; connect(); }, retryMs);
  }

  /** One server-sent event block: "event:", "data:", "id:" and "retry:" lines. */
  function dispatch(block) {
    var name = 'message';
    var data = [];
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) name = line.substring(6).trim();
      else if (line.indexOf('data:') === 0) data.push(line.substring(5).replace(/^ /, ''));
      else if (line.indexOf('retry:') === 0) retryMs = parseInt(line.substring(6), 10) || retryMs;
    });
    if (!data.length) return;
    var value = JSON.parse(data.join('\n'));
    if (name === 'history') onHistory(value);
    else if (name === 'sample') onSample(value);
  }

  function connect() {
    disconnect();
    if (!adminToken) {
      setConnection('locked', 'Locked: enter the admin token');
      return;
    }
    setConnection('connecting', 'Connecting…');
    var controller = new AbortController();
    stream = controller;
    fetch('/dashboard/events', { cache: 'no-store', signal: controller.signal,
      headers: authHeaders({ 'Accept': 'text/event-stream' }) }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        setToken(null);
        showResult('error', 'The admin token was not accepted; paste it again.');
        return;
      }
      if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error('stream ended');
          buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
          var end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            var block = buffer.substring(0, end);
            buffer = buffer.substring(end + 2);
            dispatch(block);
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      if (stream !== controller) return; // replaced or stopped on purpose
      stream = null;
      setConnection('reconnecting', 'Reconnecting…');
      scheduleReconnect();
    });
  }

  setInterval(function () {
    var silent = Date.now() - lastSampleAt;
    if (lastSampleAt && silent > 3 * intervalMs && $('connection').getAttribute('data-state') === 'live') {
      setConnection('stale', 'No update for ' + Math.round(silent / 1000) + ' s');
    }
  }, 1000);

  // ---------------------------------------------------------------- admin token and gremlin

  var adminToken = null; // in memory only: never in the page, storage or a cookie

  function showResult(kind, text) {
    var el = $('gremlin-result');
    el.setAttribute('data-kind', kind);
    el.textContent = text;
  }

  function setToken(token) {
    var changed = adminToken !== token;
    adminToken = token;
    $('token-form').hidden = !!token;
    $('gremlin-form').hidden = !token;
    $('token-input').value = '';
    if (changed) {
      connect();
      if (token) loadStock();
    }
  }

  function loadStock() {
    fetch('/dashboard/api/stock', { cache: 'no-store', headers: authHeaders() })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) { if (body) renderStock(body.items); })
      .catch(function () { /* the event stream brings the stock too */ });
  }

  function adminCall(method, body) {
    var init = { method: method, cache: 'no-store', headers: authHeaders() };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch('/dashboard/api/gremlin', init).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (json) { return { status: res.status, body: json }; });
    });
  }

  function problemText(answer) {
    var b = answer.body;
    return (b && (b.detail || b.title)) || ('HTTP ' + answer.status);
  }

  function checkToken() {
    adminCall('GET').then(function (answer) {
      if (answer.status === 200) {
        showResult('ok', 'Unlocked: changes go to inventory with your token.');
      } else if (answer.status === 401 || answer.status === 403) {
        setToken(null);
        showResult('error', 'That admin token was not accepted.');
      } else {
        showResult('error', 'Could not check the token: ' + problemText(answer));
      }
    }, function () { showResult('error', 'Could not reach the order service to check the token.'); });
  }

  function applySpec(spec) {
    if (!adminToken) return;
    $('gremlin-apply').disabled = true;
    showResult('', 'Applying ' + spec + '…');
    adminCall('PUT', { spec: spec }).then(function (answer) {
      $('gremlin-apply').disabled = false;
      if (answer.status === 200) {
        showResult('ok', 'Applied: ' + answer.body.spec);
        renderGremlin({ spec: answer.body.spec, seed: answer.body.seed, counts: answer.body.counts });
      } else if (answer.status === 401 || answer.status === 403) {
        setToken(null);
        showResult('error', 'The admin token was not accepted; paste it again.');
      } else {
        showResult('error', 'Not applied: ' + problemText(answer));
      }
    }, function () {
      $('gremlin-apply').disabled = false;
      showResult('error', 'Could not reach the order service; nothing was changed.');
    });
  }

  function takeTokenFromAddress() {
    var url = new URL(window.location.href);
    var fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
    var token = fragment.get('token');
    // A token in the query has already reached the server's logs; never use it, only remove it.
    var queried = url.searchParams.has('token');
    url.searchParams.delete('token');
    if (token === null && !queried) return;
    // Out of the address bar, history and any bookmark at once.
    window.history.replaceState(null, '', url.pathname + url.search);
    if (token) {
      setToken(token);
      checkToken();
    } else if (queried) {
      showResult('error', 'A token in the address query is not accepted (it ends up in logs); open the printed URL with #token=…');
    }
  }

  // ---------------------------------------------------------------- storefront

  /*
   * One purchase intent = one order id. Every press of Buy before the intent settles (a double
   * click, an impatient second click) and every automatic retry sends the same id, so the order
   * service places at most one order. Only "New order", after the intent settled, starts another.
   */
  var intent = null;
  var LABELS = { SENDING: 'Sending…', PENDING: 'PENDING', CONFIRMED: 'CONFIRMED', REJECTED: 'REJECTED', FAILED: 'FAILED', ERROR: 'NOT PLACED' };

  function newOrderId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return 'web-' + Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  function renderOrder() {
    var panel = $('order-panel');
    var button = $('buy');
    if (!intent) {
      button.textContent = 'Buy';
      button.className = 'primary';
      $('sku').disabled = false;
      $('quantity').disabled = false;
      return;
    }
    panel.setAttribute('data-state', intent.state);
    $('order-state').textContent = LABELS[intent.state] || intent.state;
    $('order-message').textContent = intent.message || '';
    $('order-id').textContent = intent.orderId;
    $('order-id-line').hidden = false;
    var note = intent.quantity + ' × ' + intent.sku;
    if (intent.sends > 1) note += ' · sent ' + intent.sends + ' times with the same order id';
    $('order-note').textContent = note;
    button.textContent = intent.settled ? 'New order' : 'Buy';
    button.className = intent.settled ? '' : 'primary';
    $('sku').disabled = !intent.settled;
    $('quantity').disabled = !intent.settled;
  }

  function buy() {
    if (intent && intent.settled) {
      // Starts a new intent; the last order's result stays visible until the next Buy.
      intent = null;
      $('order-note').textContent = 'last order shown; ready for a new one';
      renderOrder();
      return;
    }
    if (!intent) {
      var sku = $('sku').value;
      var quantity = parseInt($('quantity').value, 10);
      if (!sku || !(quantity >= 1)) {
        $('order-message').textContent = 'Pick a SKU and a quantity of at least 1.';
        return;
      }
      intent = { orderId: newOrderId(), sku: sku, quantity: quantity, state: 'SENDING', settled: false, sends: 0,
        message: 'Placing the order…', poll: null };
    }
    send(intent, 0);
  }

  function send(it, retry) {
    it.sends++;
    renderOrder();
    fetch('/orders', {
      method: 'POST',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': it.orderId },
      body: JSON.stringify({ orderId: it.orderId, sku: it.sku, quantity: it.quantity })
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (body) { answered(it, res, body, retry); });
    }, function () {
      retryLater(it, retry, 'The order service did not answer; trying again with the same order id…');
    });
  }

  function answered(it, res, body, retry) {
    if (it !== intent || it.settled) return;
    if (res.status === 200 || res.status === 201 || res.status === 202) {
      apply(it, body);
    } else if (res.status === 409) {
      // Our own earlier press is still being placed: wait for its answer instead of a new order.
      if (it.state === 'SENDING') it.message = 'Already being placed (the button was pressed again); waiting for the answer…';
      renderOrder();
      schedulePoll(it, 1000);
    } else if (res.status === 429 || res.status >= 500) {
      retryLater(it, retry, ((body && body.detail) || 'The order service is busy') + ' Trying again with the same order id…');
    } else {
      it.state = 'ERROR';
      it.settled = true;
      it.message = (body && (body.detail || body.title)) || ('The order service answered HTTP ' + res.status + '.');
      renderOrder();
    }
  }

  function retryLater(it, retry, message) {
    if (it !== intent || it.settled) return;
    if (retry >= 3) {
      it.message = 'The order service cannot be reached now. Press Buy to try again: it sends the same order id, so it cannot order twice.';
      renderOrder();
      return;
    }
    it.message = message;
    renderOrder();
    setTimeout(function () { if (it === intent && !it.settled) send(it, retry + 1); }, 1000 * (retry + 1));
  }

  function apply(it, order) {
    if (!order || !order.status || it !== intent) return;
    if (it.settled) return; // a late PENDING answer never undoes a final state
    it.state = order.status;
    it.message = order.message || '';
    if (order.status !== 'PENDING') {
      it.settled = true;
    } else {
      schedulePoll(it, 1000);
    }
    renderOrder();
  }

  function schedulePoll(it, delay) {
    if (it.poll) return;
    it.poll = setTimeout(function () {
      it.poll = null;
      if (it !== intent || it.settled) return;
      fetch('/orders/' + encodeURIComponent(it.orderId), { cache: 'no-store' }).then(function (res) {
        if (res.status === 200) {
          return res.json().then(function (order) { apply(it, order); });
        }
        schedulePoll(it, res.status === 404 ? 1000 : 2000); // 404: our first press is still being placed
      }).catch(function () { schedulePoll(it, 2000); });
    }, delay);
  }

  // ---------------------------------------------------------------- start

  function buildScopeCards() {
    var template = $('scope-card');
    var section = $('scopes');
    SCOPE_CARDS.forEach(function (scope) {
      var card = template.content.firstElementChild.cloneNode(true);
      function slot(name) { return card.querySelector('[data-slot="' + name + '"]'); }
      card.id = 'scope-' + scope.id;
      slot('title').textContent = scope.title;
      slot('what').textContent = scope.what;
      slot('light').id = 'light-' + scope.id;
      slot('why').id = 'why-' + scope.id;
      slot('rate').textContent = scope.rate;
      if (!scope.pending) slot('pending').remove();
      var chart = card.querySelector('.chart');
      chart.setAttribute('data-chart', scope.id);
      chart.setAttribute('aria-label', scope.chart);
      section.appendChild(card);
    });
  }

  function start() {
    buildScopeCards();
    SCOPES.forEach(chartFor);
    takeTokenFromAddress();
    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var token = $('token-input').value.trim();
      if (!token) return;
      setToken(token);
      checkToken();
    });
    $('gremlin-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var spec = $('gremlin-input').value.trim();
      if (spec) applySpec(spec);
    });
    document.querySelectorAll('.presets [data-spec]').forEach(function (b) {
      b.addEventListener('click', function () {
        $('gremlin-input').value = b.getAttribute('data-spec');
        applySpec(b.getAttribute('data-spec'));
      });
    });
    $('token-forget').addEventListener('click', function () {
      setToken(null);
      showResult('', 'Token forgotten.');
    });
    $('buy-form').addEventListener('submit', function (e) {
      e.preventDefault();
      buy();
    });
    if (!adminToken) connect(); // shows "Locked"; setToken connected otherwise
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
