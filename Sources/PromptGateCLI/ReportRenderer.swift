import Foundation
import PromptGateTelemetry
import PromptGateWorkflows

/// Renders a telemetry report as text for a terminal and Markdown for a pull request.
struct ReportRenderer {
  let report: TelemetryReport

  /// The text report: a block per version, each line within 80 columns for typical figures.
  func text() -> String {
    var lines: [String] = []
    if report.problems.skippedLines > 0 {
      let noun = report.problems.skippedLines == 1 ? "line" : "lines"
      lines.append(
        "partial: \(Self.count(report.problems.skippedLines)) \(noun) skipped (listed on stderr)")
    }
    lines.append(window() + ", \(Self.count(report.requests)) requests")
    for version in report.versions {
      let metrics = version.metrics
      lines.append("")
      lines.append(Self.heading(version))
      lines += Self.labelLines(version.label).map { "  " + $0 }
      if let first = metrics.firstSeen, let last = metrics.lastSeen {
        lines.append("  seen            \(first) .. \(last)")
      }
      lines.append("  requests        \(Self.count(metrics.requests))")
      let latency = metrics.latencyMs
      if latency.count > 0 {
        lines.append(
          "  latency ms      p50 \(Self.figure(latency.p50))  p95 \(Self.figure(latency.p95))  p99 \(Self.figure(latency.p99))"
        )
      }
      lines.append(
        "  tokens/request  in \(Self.mean(metrics.inputTokensPerRequest))  out \(Self.mean(metrics.outputTokensPerRequest))"
      )
      lines.append("  cost            " + Self.cost(metrics.cost, requests: metrics.requests))
      lines.append("  tool failures   " + Self.tools(metrics))
      lines.append("  refusals        " + Self.rate(metrics.refusalRate))
      lines.append("  fallbacks       " + Self.rate(metrics.fallbackRate))
      lines.append("  user retries    " + Self.rate(metrics.userRetryRate))
      lines.append(
        "  retrieval       " + Self.mean(metrics.retrievalCallsPerRequest) + " calls/request")
    }
    return lines.joined(separator: "\n")
  }

  /// The Markdown report: one table row per version, then each version's tools.
  func markdown() -> String {
    var lines = ["## PromptGate: telemetry by behavior version", ""]
    if let skipped = Self.skippedSummary(report.problems) {
      lines += ["> ⚠️ Partial: \(skipped)", ""]
    }
    lines += [window() + ", \(Self.count(report.requests)) requests.", ""]
    let grouped = report.groupBy != nil
    lines.append(
      "| behavior | version |" + (grouped ? " \(report.groupBy ?? "") |" : "")
        + " git | requests | p50 ms | p95 ms | p99 ms | tokens in/out | cost/request | tool failures | refusals | fallbacks | user retries | retrieval/request |"
    )
    lines.append("|" + String(repeating: " --- |", count: grouped ? 15 : 14))
    for version in report.versions {
      let metrics = version.metrics
      let name =
        version.label.behaviors.isEmpty ? "?" : version.label.behaviors.joined(separator: ", ")
      var cells = [Self.cell(name), "`pgv1-\(version.behaviorId.dropFirst(5).prefix(12))`"]
      if grouped { cells.append(Self.cell(version.group ?? "")) }
      cells.append(Self.cell(Self.gitCell(version.label)))
      cells.append(Self.count(metrics.requests))
      cells += [metrics.latencyMs.p50, metrics.latencyMs.p95, metrics.latencyMs.p99].map {
        Self.figure($0)
      }
      cells.append(
        "\(Self.figure(metrics.inputTokensPerRequest.mean)) / \(Self.figure(metrics.outputTokensPerRequest.mean))"
      )
      cells.append(metrics.cost.perRequest.mean.map { Self.money($0) } ?? "–")
      cells += [
        metrics.toolFailureRate, metrics.refusalRate, metrics.fallbackRate, metrics.userRetryRate,
      ].map { Self.rate($0) }
      cells.append(Self.figure(metrics.retrievalCallsPerRequest.mean))
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    lines += ["", "Rates show 95% Wilson intervals; latency quantiles are within 1%."]
    return lines.joined(separator: "\n")
  }

  func window() -> String {
    switch (report.since, report.until) {
    case (nil, nil): return "all requests in \(report.sources.joined(separator: ", "))"
    case (let since?, nil): return "since \(since)"
    case (nil, let until?): return "until \(until)"
    case (let since?, let until?): return "\(since) .. \(until)"
    }
  }

  static func heading(_ version: TelemetryReport.Version) -> String {
    let name =
      version.label.behaviors.isEmpty
      ? "(unknown behavior)" : version.label.behaviors.joined(separator: ", ")
    let id = "pgv1-" + version.behaviorId.dropFirst(5).prefix(12)
    let group = version.group.map { "  [\($0)]" } ?? ""
    return "\(name) \(id)\(group)"
  }

  static func labelLines(_ label: VersionLabel) -> [String] {
    guard label.status == .inHistory else { return [label.statusText] }
    var lines: [String] = []
    let commits = label.commits.prefix(5).map { String($0.prefix(12)) }.joined(separator: ", ")
    let more = label.commits.count > 5 ? " and \(label.commits.count - 5) more" : ""
    lines.append("commits         \(commits)\(more)")
    if !label.releases.isEmpty {
      lines.append("released as     " + label.releases.joined(separator: ", "))
    }
    return lines
  }

  static func gitCell(_ label: VersionLabel) -> String {
    guard label.status == .inHistory else { return label.statusText }
    var parts = label.commits.prefix(3).map { String($0.prefix(12)) }
    if label.commits.count > 3 { parts.append("+\(label.commits.count - 3)") }
    if !label.releases.isEmpty {
      parts.append("released " + label.releases.joined(separator: ", "))
    }
    return parts.joined(separator: ", ")
  }

  /// "3 lines skipped: line 88 of traces.jsonl: …; …" with at most three reasons.
  static func skippedSummary(_ problems: ReadProblems) -> String? {
    guard problems.skippedLines > 0 else { return nil }
    let shown = problems.skipped.prefix(3).map { "line \($0.line) of \($0.source): \($0.reason)" }
    let more = problems.skippedLines - shown.count
    let noun = problems.skippedLines == 1 ? "line" : "lines"
    return "\(count(problems.skippedLines)) \(noun) skipped: " + shown.joined(separator: "; ")
      + (more > 0 ? "; and \(count(more)) more" : "")
  }

  static func tools(_ metrics: VersionMetrics) -> String {
    guard metrics.toolFailureRate.total > 0 else { return "no tool calls" }
    var text = rate(metrics.toolFailureRate) + " of \(count(metrics.toolFailureRate.total)) calls"
    let each = metrics.tools.map { tool in
      "\(tool.name) \(percent(tool.failureRate.rate)) of \(count(tool.calls))"
    }
    text += "; " + each.joined(separator: ", ")
    return text
  }

  static func cost(_ cost: VersionMetrics.Cost, requests: Int) -> String {
    guard let mean = cost.perRequest.mean else {
      return "unknown (record costUsd, or give the models a price under prices:)"
    }
    var text = money(mean) + "/request"
    if let low = cost.perRequest.low, let high = cost.perRequest.high {
      text += " [\(money(low)), \(money(high))]"
    }
    text += ", \(money(cost.total)) total"
    if cost.known < requests { text += " (\(count(cost.known)) of \(count(requests)) priced)" }
    return text
  }

  static func rate(_ estimate: RateEstimate) -> String {
    guard let rate = estimate.rate, let low = estimate.low, let high = estimate.high else {
      return "–"
    }
    return "\(percent(rate)) [\(percent(low)), \(percent(high))]"
  }

  static func mean(_ estimate: MeanEstimate) -> String {
    guard let mean = estimate.mean else { return "–" }
    guard let low = estimate.low, let high = estimate.high else { return figure(mean) }
    return "\(figure(mean)) [\(figure(low)), \(figure(high))]"
  }

  static func percent(_ value: Double?) -> String {
    guard let value else { return "–" }
    let scaled = value * 100
    if scaled == 0 || scaled == 100 { return String(format: "%.0f%%", scaled) }
    return String(format: scaled < 10 ? "%.2f%%" : "%.1f%%", scaled)
  }

  /// A figure with three significant digits, grouped when large.
  static func figure(_ value: Double?) -> String {
    guard let value else { return "–" }
    if value >= 1000 { return count(Int(value.rounded())) }
    if value >= 100 { return String(format: "%.0f", value) }
    if value >= 10 { return String(format: "%.1f", value) }
    return String(format: "%.2f", value)
  }

  static func money(_ value: Double) -> String {
    if value >= 100 { return String(format: "$%.0f", value) }
    if value >= 1 { return String(format: "$%.2f", value) }
    if value == 0 { return "$0" }
    // Three significant digits: a request costs fractions of a cent.
    return "$" + String(format: "%.3g", value)
  }

  static func count(_ value: Int) -> String {
    let digits = String(value)
    var result = ""
    for (index, character) in digits.reversed().enumerated() {
      if index > 0, index % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return String(result.reversed())
  }

  static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}
