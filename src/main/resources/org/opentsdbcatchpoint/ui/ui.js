// The operator page: fetches ui/data every REFRESH_MS and draws it. Plain DOM, no framework, no
// build step: it ships in the plugin jar as written. Every value from the server is put in with
// textContent, never as HTML (refused pushes quote what was sent).
(function () {
  'use strict';

  var REFRESH_MS = 10000;
  // Data older than this is marked stale: three refreshes missed.
  var STALE_MS = 3 * REFRESH_MS;
  // A fetch that hangs (TSD stuck in GC, proxy timeout) counts as failed after this long.
  var FETCH_TIMEOUT_MS = 8000;
  // Refused pushes newer than this are a problem now, not history.
  var RECENT_ERROR_MS = 15 * 60 * 1000;
  // The metric-name budget is a problem once this full: new names are refused at 100 %.
  var BUDGET_WARN = 0.9;

  // The admin token comes from the page's own address (?token=) and goes out as a header.
  var token = new URLSearchParams(location.search).get('token');

  var lastGood = null; // {data, at}: the last data drawn, and when (browser clock) it arrived
  var lastFailure = null; // {message, at} of the last failed fetch, null after a good one
  var draws = 0;

  // ---- small DOM helpers ----

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) {
          return;
        }
        if (k === 'text') {
          e.textContent = String(attrs[k]);
        } else if (k === 'cls') {
          e.className = attrs[k];
        } else {
          e.setAttribute(k, attrs[k]);
        }
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) {
        return;
      }
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
    return e;
  }

  function fill(id, node) {
    var box = document.getElementById(id);
    box.textContent = '';
    box.appendChild(node);
  }

  function table(headers, rows, numericFrom) {
    var head = el('tr', null, headers.map(function (h, i) {
      return el('th', { cls: numericFrom !== undefined && i >= numericFrom ? 'num' : null, text: h });
    }));
    return el('table', null, [el('thead', null, [head]), el('tbody', null, rows)]);
  }

  /** A row of cells; a cell is a value, a node, or {v, cls}. */
  function row(cells, cls) {
    return el('tr', { cls: cls }, cells.map(function (c) {
      if (c !== null && typeof c === 'object' && !(c instanceof Node)) {
        return el('td', { cls: c.cls, title: c.title }, [c.v === null || c.v === undefined ? '—' : c.v]);
      }
      return el('td', null, [c === null || c === undefined ? '—' : c]);
    }));
  }

  function kv(pairs) {
    return el('dl', { cls: 'kv' }, pairs.reduce(function (out, p) {
      if (!p) {
        return out;
      }
      out.push(el('dt', { text: p[0] }));
      out.push(el('dd', { cls: p[2] || null }, [p[1] === null || p[1] === undefined ? '—' : p[1]]));
      return out;
    }, []));
  }

  function none(text) {
    return el('p', { cls: 'muted', text: text });
  }

  // ---- formatting ----

  function num(n) {
    if (n === null || n === undefined) {
      return '—';
    }
    return Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 });
  }

  function rate(n) {
    if (n >= 100) {
      return Math.round(n).toLocaleString('en-US') + '/s';
    }
    return Number(n.toPrecision(3)).toString() + '/s';
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined || seconds < 0) {
      return '—';
    }
    var s = Math.round(seconds);
    if (s < 120) {
      return s + ' s';
    }
    if (s < 7200) {
      return Math.round(s / 60) + ' min';
    }
    if (s < 172800) {
      return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
    }
    return Math.floor(s / 86400) + ' d ' + Math.round((s % 86400) / 3600) + ' h';
  }

  /** An ISO time from the server, with how far it is from the server's now. */
  function when(iso, nowMs) {
    if (!iso) {
      return null;
    }
    var t = Date.parse(iso);
    if (isNaN(t)) {
      return String(iso);
    }
    var d = (t - nowMs) / 1000;
    var rel = Math.abs(d) < 1 ? 'now' : d < 0 ? duration(-d) + ' ago' : 'in ' + duration(d);
    return el('span', { title: iso }, [shortTime(t), el('span', { cls: 'muted', text: ' (' + rel + ')' })]);
  }

  function shortTime(ms) {
    // UTC, as the TSD's logs and Catchpoint's API: one clock to compare against at 3 a.m.
    return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function seconds(setting) {
    var m = /^(\d+)s$/.exec(String(setting || ''));
    return m ? Number(m[1]) : null;
  }

  function statusClass(status) {
    var s = Number(status);
    return s >= 500 ? 'bad' : s >= 400 ? 'warn' : s >= 200 && s < 300 ? 'good' : null;
  }

  function sum(map) {
    return Object.keys(map || {}).reduce(function (t, k) {
      return t + (Number(map[k]) || 0);
    }, 0);
  }

  // ---- what needs attention ----

  function problems(d) {
    var out = [];
    var now = d.now_ms;
    var recent = (d.push.recent_errors || []).filter(function (e) {
      return now - e.time_ms < RECENT_ERROR_MS;
    });
    // 5xx: the TSD or HBase (Catchpoint retries, for an hour); 4xx: what Catchpoint sends is refused
    // (a wrong token, a bad template), and retrying will not help. Recent ones only: an outage over
    // hours ago is history, not something to act on now.
    [[500, 'bad', 'not stored: Catchpoint retries them for an hour'],
      [400, 'warn', 'refused as sent: retrying will not help']].forEach(function (c) {
      var these = recent.filter(function (e) {
        return e.status >= c[0] && e.status < c[0] + 100;
      });
      if (these.length) {
        var last = these[0];
        out.push({ cls: c[1], text: these.length + ' push' + (these.length > 1 ? 'es' : '') + ' answered '
          + c[0] / 100 + 'xx in the last ' + RECENT_ERROR_MS / 60000 + ' min (' + c[2] + '); latest: '
          + last.status + ' ' + last.kind + ' — ' + last.message });
      }
    });
    var failingAccounts = {};
    (d.pull.tests || []).forEach(function (t) {
      if (t.last_error) {
        (failingAccounts[t.account] = failingAccounts[t.account] || []).push(t);
      }
    });
    Object.keys(failingAccounts).forEach(function (a) {
      var tests = failingAccounts[a];
      out.push({ cls: 'bad', text: 'Pull account ' + a + ' failing (' + tests.length + ' test'
        + (tests.length > 1 ? 's' : '') + '): ' + tests[0].last_error });
    });
    Object.keys(d.pull.lag_seconds || {}).forEach(function (a) {
      if (!pulledHere(d.pull, a)) {
        return; // another TSD pulls it: its lag is that TSD's to show
      }
      var limit = lagLimit(d.config, a);
      var lag = d.pull.lag_seconds[a];
      if (limit !== null && lag > limit && !failingAccounts[a]) {
        out.push({ cls: 'warn', text: 'Pull account ' + a + ' is ' + duration(lag) + ' behind (more than two '
          + 'intervals: pulls are slower than the interval, or were paused)' });
      }
    });
    if (d.catalog.last_error) {
      out.push({ cls: 'bad', text: 'Node catalog refresh failing: ' + d.catalog.last_error });
    }
    if (d.catalog.unknown_nodes > 0) {
      out.push({ cls: 'warn', text: d.catalog.unknown_nodes + ' node' + (d.catalog.unknown_nodes > 1 ? 's' : '')
        + ' not in the catalog' + (unknownIds(d.catalog) ? ' (' + unknownIds(d.catalog) + ')' : '')
        + ': their points carry no location tags' });
    }
    Object.keys(d.forwarders || {}).forEach(function (name) {
      var f = d.forwarders[name];
      var dropped = sum(f.dropped);
      if (dropped > 0) {
        out.push({ cls: 'bad', text: 'Forwarder ' + name + ' dropped ' + num(dropped) + ' points ('
          + nonZero(f.dropped) + ')' });
      }
      if (f.connected === false) {
        out.push({ cls: 'warn', text: 'Forwarder ' + name + ' not connected to ' + f.destination
          + (f.last_error && f.last_error !== '(none)' ? ': ' + f.last_error : '') });
      }
    });
    var m = d.metrics || {};
    if (m.max_derived > 0 && m.derived_names >= BUDGET_WARN * m.max_derived) {
      out.push({ cls: m.derived_names >= m.max_derived ? 'bad' : 'warn', text: 'Metric names: ' + num(m.derived_names)
        + ' of ' + num(m.max_derived) + ' derived names used (metrics.max_derived); new ones are refused at the bound' });
    }
    return out;
  }

  /** An account is behind when its cursor is older than its lag, a window and two intervals. */
  function lagLimit(config, account) {
    var p = 'pull.' + account + '.';
    var interval = seconds(config[p + 'interval']);
    if (interval === null) {
      return null;
    }
    return 2 * interval + (seconds(config[p + 'lag']) || 0) + (seconds(config[p + 'window']) || 0);
  }

  /** The node ids the data lists, and how many more it does not. */
  function unknownIds(c) {
    var ids = c.unknown || [];
    if (!ids.length) {
      return '';
    }
    var more = c.unknown_nodes - ids.length;
    return ids.join(', ') + (more > 0 ? ' and ' + more + ' more' : '');
  }

  function nonZero(map) {
    return Object.keys(map || {}).filter(function (k) {
      return Number(map[k]) > 0;
    }).map(function (k) {
      return k + ' ' + num(map[k]);
    }).join(', ');
  }

  // ---- sections ----

  function drawProblems(d) {
    var list = problems(d);
    var box = document.getElementById('problems-box');
    // Said in so many words when nothing is wrong: an empty space could also be a page that broke.
    box.className = 'card problems' + (list.length ? '' : ' clear');
    box.querySelector('h2').textContent = list.length ? 'Needs attention' : 'Nothing needs attention';
    var ul = document.getElementById('problems');
    ul.textContent = '';
    list.forEach(function (p) {
      ul.appendChild(el('li', { cls: p.cls, text: p.text }));
    });
    box.hidden = false;
  }

  function counts(map, classify) {
    var keys = Object.keys(map || {});
    if (!keys.length) {
      return el('span', { cls: 'muted', text: 'none' });
    }
    return el('span', { cls: 'counts' }, keys.map(function (k) {
      return el('span', { cls: 'count ' + (classify ? classify(k) || '' : '') }, [
        el('span', { cls: 'label', text: k }), ' ', el('b', { text: num(map[k]) })]);
    }));
  }

  function drawPush(d) {
    var p = d.push;
    fill('push', kv([
      ['requests by status', counts(p.requests, statusClass)],
      ['runs by format', counts(p.runs)],
      ['datapoints written', el('b', { text: num(p.datapoints_written) })],
      ['fields skipped', counts(p.skipped)],
      ['errors by kind', counts(p.errors, function () {
        return 'warn';
      })],
      ['acknowledged in', p.datapoints_written > 0 ? 'p50 ' + num(p.ack_p50_ms) + ' ms · p99 ' + num(p.ack_p99_ms)
        + ' ms' : 'no push stored yet'],
    ]));
  }

  function drawRecentErrors(d) {
    var list = d.push.recent_errors || [];
    if (!list.length) {
      fill('recent-errors', none('No push refused since the TSD started.'));
      return;
    }
    // The same mistake repeated (a misconfigured webhook retrying) is one row with a count, newest first.
    var groups = [];
    var byKey = {};
    list.forEach(function (e) {
      var key = [e.status, e.kind, e.message, e.where].join('\u0000');
      var g = byKey[key];
      if (!g) {
        g = byKey[key] = { e: e, count: 0, first: e.time_ms };
        groups.push(g);
      }
      g.count++;
      g.first = Math.min(g.first, e.time_ms);
    });
    fill('recent-errors', table(['last', 'times', 'status', 'kind', 'what was wrong'], groups.map(function (g) {
      var e = g.e;
      return row([
        { v: shortTime(e.time_ms).slice(11), title: shortTime(e.time_ms) + ' (' + duration((d.now_ms - e.time_ms) / 1000)
          + ' ago)' + (g.count > 1 ? '; first ' + shortTime(g.first) : '') },
        { v: g.count > 1 ? '×' + g.count : '', cls: 'num' },
        { v: String(e.status), cls: statusClass(e.status) },
        e.kind,
        el('span', null, [e.message, e.where ? el('span', { cls: 'muted', text: ' at ' + e.where }) : null]),
      ], d.now_ms - e.time_ms < RECENT_ERROR_MS ? 'recent' : null);
    })));
    if (list.length > 1) {
      document.getElementById('recent-errors').appendChild(el('p', { cls: 'muted small', text: 'The last '
        + list.length + ' refused pushes, the oldest ' + duration((d.now_ms - list[list.length - 1].time_ms) / 1000)
        + ' ago.' }));
    }
  }

  /** Whether this TSD pulls the account now (several TSDs share the accounts through leases). */
  function pulledHere(pull, account) {
    var here = (pull.sharing || {}).pulls_here;
    return !here || here.indexOf(account) >= 0;
  }

  /** Who pulls an account when it is not this TSD, from the leases. */
  function holderOf(pull, account) {
    var leases = (pull.sharing || {}).leases || {};
    var lease = leases['account/' + account];
    return lease && lease.holder ? lease.holder : null;
  }

  function drawPull(d) {
    var pull = d.pull;
    var box = el('div');
    if (!(pull.accounts || []).length) {
      box.appendChild(none('No pull account configured (pull.accounts).'));
      fill('pull', box);
      return;
    }
    box.appendChild(kv([
      ['accounts', pull.accounts.join(', ')],
      ['pulls', pull.started ? 'running' : 'not started yet (they start once the TSD is ready)',
        pull.started ? 'good' : 'warn'],
      ['datapoints pulled', num(pull.datapoints)],
      ['windows failed', num(pull.windows_failed), pull.windows_failed > 0 ? 'warn' : null],
      ['this TSD pulls', sharingText(pull)],
    ]));
    var tests = pull.tests || [];
    if (tests.length) {
      box.appendChild(table(['account', 'test', 'cursor', 'lag', 'last window', 'next run', 'last error'],
        tests.map(function (t) {
          var limit = lagLimit(d.config, t.account);
          var w = t.last_window;
          var state = t.running ? 'pulling now' : t.paused_until ? 'paused until ' + t.paused_until : null;
          if (!pulledHere(pull, t.account)) {
            state = 'pulled by ' + (holderOf(pull, t.account) || 'no TSD yet (the lease is free)');
          }
          return row([
            el('span', null, [el('b', { text: t.account }), el('span', { cls: 'muted', text: ' ' + t.api })]),
            el('span', null, [String(t.test_id), el('span', { cls: 'muted', text: ' ' + (t.test_type || '') })]),
            when(t.cursor, d.now_ms),
            { v: t.lag_seconds === null ? null : duration(t.lag_seconds),
              cls: limit !== null && t.lag_seconds > limit ? 'warn' : null },
            w ? el('span', { title: (w.start || '…') + ' – ' + w.end }, [num(w.datapoints) + ' points, '
              + num(w.rows) + ' rows in ' + num(w.seconds) + ' s']) : null,
            el('span', null, [when(t.next_run, d.now_ms), state ? el('div', { cls: 'muted', text: state }) : null]),
            t.last_error ? el('span', { cls: 'bad' }, [t.last_error,
              t.last_error_at ? el('div', { cls: 'muted' }, [when(t.last_error_at, d.now_ms)]) : null])
              : { v: 'none', cls: 'muted' },
          ], t.last_error ? 'failing' : null);
        })));
    }
    drawImports(d, box);
    fill('pull', box);
  }

  /** The imports (POST /pull/import, or the import command): how far each got, how fast, how long left. */
  function drawImports(d, box) {
    var imports = d.pull.imports || [];
    if (!imports.length) {
      return;
    }
    box.appendChild(el('h3', { text: 'Imports' }));
    box.appendChild(table(['import', 'tests', 'range', 'progress', 'runs', 'points', 'rate', 'left', 'state'],
      imports.map(function (im) {
        var pct = im.windows_total > 0 ? Math.floor(100 * im.windows_done / im.windows_total) : 100;
        var state = im.state + (im.paused_until ? ', rate limited until ' + im.paused_until : '')
          + (im.runner && im.state === 'running' ? ' on ' + im.runner : '');
        return row([
          el('span', null, [el('b', { text: im.account }), el('span', { cls: 'muted', text: ' ' + im.id })]),
          (im.tests || []).join(', '),
          el('span', { cls: 'small' }, [im.from + ' – ' + im.to]),
          el('span', null, [el('progress', { max: String(im.windows_total), value: String(im.windows_done) }),
            ' ' + pct + '% (' + num(im.windows_done) + ' of ' + num(im.windows_total) + ' windows)']),
          num(im.runs),
          num(im.points),
          im.points_per_second ? num(Math.round(im.points_per_second)) + ' points/s' : '—',
          im.state === 'done' ? 'done' : duration(im.eta_seconds),
          { v: state, cls: im.state === 'failed' ? 'bad' : im.last_error ? 'warn' : null,
            title: im.last_error || null },
        ], im.state === 'failed' ? 'failing' : null);
      })));
  }

  function sharingText(pull) {
    var s = pull.sharing || {};
    if (s.mode === 'never') {
      return 'nothing (pull.mode=never)';
    }
    if (!s.leases) {
      return 'every account (' + (s.mode === 'always' ? 'pull.mode=always' : 'alone: no leases') + ')';
    }
    var here = s.pulls_here || [];
    return (here.length ? here.join(', ') : 'none now: other TSDs hold the accounts')
      + (s.fetches_catalog ? '; fetches the node catalog for all' : '');
  }

  function drawCatalog(d) {
    var c = d.catalog;
    fill('catalog', kv([
      ['nodes', el('b', { text: num(c.nodes) }), c.nodes === 0 ? 'warn' : null],
      ['last refreshed', c.age_seconds === null ? 'never (the catalog.file only, or not yet)'
        : duration(c.age_seconds) + ' ago'],
      ['unknown nodes seen', num(c.unknown_nodes) + (unknownIds(c) ? ': ' + unknownIds(c) : ''),
        c.unknown_nodes > 0 ? 'warn' : null],
      ['last error', c.last_error || 'none', c.last_error ? 'bad' : 'muted'],
    ]));
  }

  function drawMetrics(d) {
    var m = d.metrics || {};
    var used = m.max_derived > 0 ? m.derived_names / m.max_derived : 0;
    var cls = used >= 1 ? 'bad' : used >= BUDGET_WARN ? 'warn' : 'good';
    fill('metrics', kv([
      ['derived names', el('span', null, [el('b', { text: num(m.derived_names) }), ' of ' + num(m.max_derived)
        + ' (' + Math.round(used * 100) + ' %)', meter(used, cls)])],
      ['new names per request', 'at most ' + num(m.max_new_per_request)],
      ['points in flight', num(m.points_in_flight) + ' of ' + num(m.max_points_in_flight)],
    ]));
  }

  function meter(fraction, cls) {
    var bar = el('span', { cls: 'meter' }, [el('span', { cls: 'fill ' + cls })]);
    bar.firstChild.style.width = Math.min(100, Math.max(0, fraction * 100)) + '%';
    return bar;
  }

  function drawForwarders(d) {
    var names = Object.keys(d.forwarders || {});
    if (!names.length) {
      fill('forwarders', none('No forwarder configured (forward.targets): points go to the TSD only.'));
      return;
    }
    fill('forwarders', table(['target', 'destination', 'connected', 'queue', 'retry buffer', 'sent', 'retried',
      'dropped', 'last error'], names.map(function (n) {
      var f = d.forwarders[n];
      var dropped = sum(f.dropped);
      return row([
        el('span', null, [el('b', { text: n }), el('span', { cls: 'muted', text: ' ' + f.type })]),
        f.destination,
        { v: f.connected ? 'yes' : 'no', cls: f.connected ? 'good' : 'warn' },
        { v: num(f.queue_depth), cls: 'num' },
        { v: num(f.retry_buffer_depth), cls: 'num ' + (f.retry_buffer_depth > 0 ? 'warn' : '') },
        { v: num(f.sent), cls: 'num' },
        { v: num(f.retried), cls: 'num' },
        { v: dropped > 0 ? num(dropped) + ' (' + nonZero(f.dropped) + ')' : '0', cls: dropped > 0 ? 'bad' : 'num' },
        { v: f.last_error && f.last_error !== '(none)' ? f.last_error : 'none',
          cls: f.last_error && f.last_error !== '(none)' ? 'warn' : 'muted' },
      ], dropped > 0 ? 'failing' : null);
    })));
  }

  function drawConfig(d) {
    var c = d.config || {};
    fill('config', el('dl', { cls: 'kv config' }, Object.keys(c).reduce(function (out, k) {
      out.push(el('dt', { text: k }));
      out.push(el('dd', { text: typeof c[k] === 'object' ? JSON.stringify(c[k]) : String(c[k]) }));
      return out;
    }, [])));
  }

  // ---- charts: inline SVG, one per series, the last hour ----

  var SERIES = [
    ['push_datapoints', 'push datapoints written'],
    ['push_requests', 'push requests'],
    ['push_errors', 'push errors', 'bad'],
    ['pull_datapoints', 'pull datapoints written'],
  ];
  var SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    return e;
  }

  function chart(name, label, cls, points, nowSec, step) {
    var W = 280;
    var H = 70;
    var from = nowSec - 3600;
    var inHour = points.filter(function (p) {
      return p[0] >= from;
    });
    var peak = inHour.reduce(function (m, p) {
      return Math.max(m, p[1]);
    }, 0);
    var top = peak > 0 ? peak * 1.1 : 1;
    var last = inHour.length ? inHour[inHour.length - 1][1] : null;
    var box = el('figure', { cls: 'chart ' + (cls || ''), 'data-series': name });
    var caption = el('figcaption', null, [el('span', { text: label }),
      el('span', { cls: 'now', text: last === null ? '' : rate(last) })]);
    box.appendChild(caption);
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': label + ', per second, last hour' });
    s.appendChild(svg('rect', { x: 0, y: 0, width: W, height: H, 'class': 'bg' }));
    // Gridlines every 15 minutes, so "how long ago" can be read off.
    for (var q = 1; q < 4; q++) {
      s.appendChild(svg('line', { x1: W * q / 4, x2: W * q / 4, y1: 0, y2: H, 'class': 'grid' }));
    }
    function x(t) {
      return ((t - from) / 3600 * W).toFixed(1);
    }
    function y(v) {
      return (H - 2 - v / top * (H - 6)).toFixed(1);
    }
    if (inHour.length) {
      var line = inHour.map(function (p) {
        return x(p[0]) + ',' + y(p[1]);
      });
      var area = 'M' + x(inHour[0][0]) + ',' + (H - 1) + ' L' + line.join(' L') + ' L'
        + x(inHour[inHour.length - 1][0]) + ',' + (H - 1) + ' Z';
      s.appendChild(svg('path', { d: area, 'class': 'area' }));
      s.appendChild(svg('polyline', { points: line.join(' '), 'class': 'line' }));
      var dot = inHour[inHour.length - 1];
      s.appendChild(svg('circle', { cx: x(dot[0]), cy: y(dot[1]), r: 2.5, 'class': 'dot' }));
    } else {
      var t = svg('text', { x: W / 2, y: H / 2 + 4, 'text-anchor': 'middle', 'class': 'empty' });
      t.textContent = 'no samples yet (one every ' + step + ' s)';
      s.appendChild(t);
    }
    box.appendChild(s);
    box.appendChild(el('div', { cls: 'axis muted' }, [el('span', { text: '−60 min' }),
      el('span', { text: 'peak ' + (peak > 0 ? rate(peak) : '0') }), el('span', { text: 'now' })]));
    return box;
  }

  function drawCharts(d) {
    var h = d.history || { series: {} };
    var nowSec = Math.floor(d.now_ms / 1000);
    var wrap = el('div', { cls: 'charts-row' });
    SERIES.forEach(function (s) {
      wrap.appendChild(chart(s[0], s[1], s[2], (h.series || {})[s[0]] || [], nowSec, h.step_seconds));
    });
    fill('charts', wrap);
  }

  // ---- the banner: fresh, stale or failing ----

  function drawBanner() {
    var banner = document.getElementById('banner');
    var age = lastGood ? Date.now() - lastGood.at : null;
    var state;
    var text;
    if (lastFailure) {
      state = 'error';
      text = 'Refresh failed ' + shortTime(lastFailure.at).slice(11) + ': ' + lastFailure.message
        + (lastGood ? ' — showing data from ' + duration(age / 1000) + ' ago' : '');
    } else if (lastGood && age > STALE_MS) {
      state = 'stale';
      text = 'Stale: no fresh data for ' + duration(age / 1000);
    } else if (lastGood) {
      state = 'ok';
      text = 'Live: updated ' + duration(age / 1000) + ' ago, every ' + REFRESH_MS / 1000 + ' s';
    } else {
      banner.textContent = 'Loading…';
      return;
    }
    banner.className = 'banner ' + state;
    banner.textContent = text;
    document.documentElement.dataset.state = state;
    document.body.classList.toggle('stale', state !== 'ok');
  }

  function drawHeader(d) {
    document.getElementById('version').textContent = d.version;
    document.getElementById('meta').textContent = 'up ' + duration(d.uptime_seconds) + ' · server time '
      + shortTime(d.now_ms);
    document.title = (problems(d).length ? '(!) ' : '') + 'Catchpoint plugin ' + d.version;
  }

  function draw(d) {
    // One section failing to draw (an unexpected shape) must not blank the others.
    [drawHeader, drawProblems, drawCharts, drawPush, drawRecentErrors, drawPull, drawCatalog, drawMetrics,
      drawForwarders, drawConfig].forEach(function (f) {
      try {
        f(d);
      } catch (e) {
        console.error('operator page: ' + f.name + ': ' + e);
      }
    });
  }

  function drawn() {
    draws++;
    document.documentElement.dataset.draws = String(draws);
  }

  // ---- the refresh loop ----

  function refresh() {
    var headers = { Accept: 'application/json' };
    if (token) {
      headers['X-Catchpoint-Admin-Token'] = token;
    }
    var abort = new AbortController();
    var timer = setTimeout(function () {
      abort.abort();
    }, FETCH_TIMEOUT_MS);
    fetch('ui/data', { headers: headers, cache: 'no-store', signal: abort.signal })
      .then(function (r) {
        if (!r.ok) {
          return r.json().catch(function () {
            return null;
          }).then(function (body) {
            var e = body && body.error;
            throw new Error('HTTP ' + r.status + (e ? ' ' + e.kind + ': ' + e.message : ''));
          });
        }
        return r.json();
      })
      .then(function (data) {
        lastGood = { data: data, at: Date.now() };
        lastFailure = null;
        draw(data);
      })
      .catch(function (e) {
        lastFailure = { at: Date.now(), message: e.name === 'AbortError'
          ? 'no answer within ' + FETCH_TIMEOUT_MS / 1000 + ' s' : String(e.message || e) };
      })
      .then(function () {
        clearTimeout(timer);
        drawBanner();
        drawn();
        setTimeout(refresh, REFRESH_MS);
      });
  }

  function start() {
    // The banner's "updated N s ago" and the stale mark move on between refreshes too.
    setInterval(drawBanner, 1000);
    refresh();
  }

  // index.html inserts this script as it parses the head: the body may not be there yet.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
