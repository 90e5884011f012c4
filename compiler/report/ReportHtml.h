//===- ReportHtml.h - Self-contained report.html ----------------*- C++ -*-===//
//
// One HTML file with no external resources: the report's JSON embedded in a
// <script type="application/json" id="report-data"> block and a little
// inline JavaScript that renders it into tables (ids: summary, totals,
// layers with rows #layer-<k>, passes with rows #pass-<i>; #status says what
// was rendered). The fused graph's SVG, if any, is embedded as is.
// The page works offline and in headless browsers (tests/report).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_REPORT_REPORTHTML_H
#define KILN_COMPILER_REPORT_REPORTHTML_H

#include "compiler/report/ReportModel.h"

#include <string>

namespace kiln {

std::string reportHtml(const ModelReport &report);

/// JSON text made safe inside a <script> element: every '<' becomes the
/// JSON escape \u003c (it can only occur inside strings), so no "</script>"
/// or "<!--" can end or change the element.
std::string jsonForScriptElement(const std::string &json);

/// Text escaped for HTML element content and attribute values.
std::string htmlEscape(const std::string &text);

} // namespace kiln

#endif // KILN_COMPILER_REPORT_REPORTHTML_H
