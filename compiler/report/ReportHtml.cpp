//===- ReportHtml.cpp - Self-contained report.html ------------------------===//
#include "compiler/report/ReportHtml.h"

#include "compiler/report/ReportJson.h"

namespace kiln {
namespace {

const char *kStyle = R"css(
body{font:12px/1.35 system-ui,sans-serif;margin:12px;color:#222}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:18px 0 6px}
.meta{color:#555;margin-bottom:8px}
table{border-collapse:collapse;margin-bottom:8px}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
td{white-space:nowrap} td.wrap{white-space:normal;max-width:220px}
th{background:#f0f0f0;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}
.bar{background:#4a90d9;height:8px;display:inline-block;vertical-align:middle}
.op{font-family:monospace} .fused{color:#0a6d2c} .note{color:#8a5a00}
.minus{color:#0a6d2c} .plus{color:#b00020}
#graph svg{max-width:100%;height:auto;border:1px solid #ddd}
)css";

// Renders the embedded JSON. Plain DOM calls (no innerHTML with data), so
// names from the model cannot inject markup.
const char *kScript = R"js(
(function () {
  var R = JSON.parse(document.getElementById('report-data').textContent);
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function num(n) {
    return n === null || n === undefined ? '-' : Number(n).toLocaleString('en-US');
  }
  function bytes(n) {
    if (n === null || n === undefined) return '-';
    var u = ['B', 'KiB', 'MiB', 'GiB'], i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; ++i; }
    return (i ? n.toFixed(1) : String(n)) + ' ' + u[i];
  }
  function us(ns) { return ns === null ? '-' : (ns / 1000).toFixed(1); }
  function shape(s) { return '[' + s.join('\u00d7') + ']'; }
  function table(id, head) {
    var t = el('table'); t.id = id;
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    var thead = el('thead'); thead.appendChild(tr); t.appendChild(thead);
    t.appendChild(el('tbody'));
    return t;
  }
  function row(t, cells, id) {
    var tr = el('tr'); if (id) tr.id = id;
    cells.forEach(function (c) {
      var td = c instanceof Node ? c : null;
      if (!td) {
        var isNum = typeof c === 'number';
        td = el('td', isNum ? num(c) : c, isNum ? 'num' : '');
      }
      tr.appendChild(td);
    });
    t.tBodies[0].appendChild(tr);
    return tr;
  }
  function td(text, cls) { return el('td', text, cls); }

  document.getElementById('title').textContent = 'Kiln report: ' + R.name;
  document.getElementById('meta').textContent =
      R.model + ' \u2014 target ' + R.target + ' (' + R.halide_target +
      '), schedule ' + R.schedule;

  var S = R.summary, T = R.totals;
  var st = table('summary', ['fusion', 'count']);
  [['depthwise\u2192pointwise fused', S.depthwise_pointwise_fused + ' / ' +
        S.depthwise_pointwise_candidates + ' candidates'],
   ['expand convs fused (inverted residual)', S.inverted_residual_fused +
        ' / ' + S.inverted_residual_candidates + ' candidates'],
   ['residual adds fused', S.residual_adds_fused + ' / ' +
        S.residual_adds_total],
   ['concat copies', S.concat_copies],
   ['slices read in place (views)', S.slice_views]].forEach(function (r) {
    row(st, r);
  });
  document.getElementById('summary-box').appendChild(st);

  var tt = table('totals', ['kernels', 'distinct', 'MACs', 'params',
                            'bytes read', 'bytes written', 'arena',
                            'arena w/o reuse', 'weights', 'time (\u00b5s)']);
  row(tt, [T.kernels, T.distinct_kernels, T.macs, T.params,
           td(bytes(T.bytes_read), 'num'), td(bytes(T.bytes_written), 'num'),
           td(bytes(T.arena_bytes), 'num'),
           td(bytes(T.arena_bytes_without_reuse), 'num'),
           td(bytes(T.weight_bytes), 'num'), td(us(T.time_ns), 'num')]);
  document.getElementById('totals-box').appendChild(tt);
  document.getElementById('profile-note').textContent = R.profile.measured ?
      'Times: median of ' + R.profile.runs + ' profiled runs. ' + R.profile.note :
      'No times: ' + R.profile.note;
  document.getElementById('schedule-note').textContent = R.schedule_note;

  var total = T.time_ns || 0;
  // Time first after the shapes so it stays visible in narrow windows; the
  // op is the first entry of the fused group.
  var lt = table('layers', ['#', 'fused group', 'kernel', 'inputs', 'output',
                            'MACs', 'params', 'read', 'written',
                            'time (\u00b5s)', 'share', 'schedule']);
  R.layers.forEach(function (l) {
    var group = td(l.fused_ops.join('+'), l.fused_ops.length > 1 ? 'op fused wrap' : 'op wrap');
    group.title = l.fused_nodes.join(', ');
    var share = td('');
    if (l.time_ns !== null && total > 0) {
      var p = 100 * l.time_ns / total, b = el('span', null, 'bar');
      b.style.width = Math.max(1, Math.round(p)) + 'px';
      share.appendChild(b);
      share.appendChild(document.createTextNode(' ' + p.toFixed(1) + '%'));
    }
    var kernel = td(l.kernel, 'op');
    kernel.title = l.kernel_kind + (l.algorithm && l.algorithm !== 'direct' ? ' (' + l.algorithm + ')' : '') + (l.epilogue.length ? ' + ' + l.epilogue.join(', ') : '');
    var tr = row(lt, [l.index, group, kernel,
                      td(l.input_shapes.map(shape).join(' '), 'wrap'),
                      shape(l.output_shape),
                      l.macs, l.params, td(bytes(l.bytes_read), 'num'),
                      td(bytes(l.bytes_written), 'num'),
                      td(us(l.time_ns), 'num'), share,
                      td(l.schedule + (l.schedule_detail ? ' ' + l.schedule_detail : ''))],
                 'layer-' + l.index);
    tr.className = 'layer-row';
  });
  document.getElementById('layers-box').appendChild(lt);

  var pt = table('passes', ['#', 'pass', 'ops changed', 'ops before',
                            'ops after', 'traffic before', 'traffic after',
                            'IR after']);
  R.passes.forEach(function (p) {
    var kinds = {}, changes = [], nb = 0, na = 0;
    Object.keys(p.ops_before).forEach(function (k) { kinds[k] = 1; nb += p.ops_before[k]; });
    Object.keys(p.ops_after).forEach(function (k) { kinds[k] = 1; na += p.ops_after[k]; });
    Object.keys(kinds).sort().forEach(function (k) {
      var b = p.ops_before[k] || 0, a = p.ops_after[k] || 0;
      if (a !== b) changes.push(k + ' ' + b + '\u2192' + a);
    });
    var link = el('a', p.dump); link.href = p.dump;
    var cell = td(''); cell.appendChild(link);
    var d = p.bytes_after - p.bytes_before;
    var after = td(bytes(p.bytes_after) + (d ? ' (' + (d > 0 ? '+' : '\u2212') +
                   bytes(Math.abs(d)) + ')' : ''), 'num ' + (d < 0 ? 'minus' : d > 0 ? 'plus' : ''));
    var tr = row(pt, [p.index, td(p.pass + (p.failed ? ' (FAILED)' : ''), 'op'),
                      td(changes.length ? changes.join(', ') : 'no change', 'wrap'),
                      nb, na, td(bytes(p.bytes_before), 'num'), after, cell],
                 'pass-' + p.index);
    tr.className = 'pass-row';
  });
  document.getElementById('passes-box').appendChild(pt);

  var fl = document.getElementById('files');
  R.files.forEach(function (f) {
    var li = el('li'), a = el('a', f); a.href = f; li.appendChild(a); fl.appendChild(li);
  });
  var status = document.getElementById('status');
  status.textContent = 'rendered ' + R.layers.length + ' layers, ' +
      R.passes.length + ' passes';
  document.body.setAttribute('data-rendered', 'yes');
})();
)js";

} // namespace

std::string htmlEscape(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string jsonForScriptElement(const std::string &json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

std::string reportHtml(const ModelReport &report) {
  std::string svg = report.graphSvg;
  // Graphviz starts with an XML prolog and DOCTYPE; inline SVG starts at <svg.
  size_t start = svg.find("<svg");
  svg = start == std::string::npos ? std::string() : svg.substr(start);

  std::string html;
  html +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>Kiln report: " +
      htmlEscape(report.name) + "</title>\n<style>" + kStyle +
      "</style>\n</head>\n<body>\n"
      "<h1 id=\"title\">Kiln report</h1>\n<div class=\"meta\" id=\"meta\">"
      "</div>\n<div id=\"status\">JavaScript did not run: the tables "
      "below are empty (report.json has the same data).</div>\n"
      "<h2>Fusion summary</h2>\n<div id=\"summary-box\"></div>\n"
      "<h2>Totals</h2>\n<div id=\"totals-box\"></div>\n"
      "<p class=\"note\" id=\"profile-note\"></p>\n"
      "<h2>Layers (kernel calls)</h2>\n"
      "<p class=\"note\" id=\"schedule-note\"></p>\n"
      "<div id=\"layers-box\"></div>\n"
      "<h2>Optimization passes</h2>\n<div id=\"passes-box\"></div>\n";
  if (!svg.empty())
    html += "<h2>Fused graph</h2>\n<details id=\"graph\"><summary>show "
            "(fused-graph.svg)</summary>\n" +
            svg + "\n</details>\n";
  html += "<h2>Dump files</h2>\n<ul id=\"files\"></ul>\n"
          "<script type=\"application/json\" id=\"report-data\">" +
          jsonForScriptElement(reportJsonText(report, /*pretty=*/false)) +
          "</script>\n<script>" + kScript + "</script>\n</body>\n</html>\n";
  return html;
}

} // namespace kiln
