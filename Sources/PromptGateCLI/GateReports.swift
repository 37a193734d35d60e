import ArgumentParser
import Foundation
import PromptGateCore

/// One `--report KIND[=PATH]`.
public struct ReportSpec: ExpressibleByArgument, Sendable {
  /// The kinds of report.
  public enum Kind: String, CaseIterable, Sendable {
    case junit, markdown, json, annotations
  }

  /// Which report.
  public let kind: Kind
  /// Where it goes; nil for annotations, which go to stdout as GitHub workflow commands.
  public let path: String?

  public init?(argument: String) {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard let kind = Kind(rawValue: parts[0]) else { return nil }
    if kind == .annotations {
      guard parts.count == 1 else { return nil }
      path = nil
    } else {
      guard parts.count == 2, !parts[1].isEmpty else { return nil }
      path = parts[1]
    }
    self.kind = kind
  }

  public static var defaultCompletionKind: CompletionKind { .default }
}

/// Writes a gate's reports.
enum GateReports {
  /// Writes every report asked for; a report that cannot be written is an error (exit 4).
  static func write(_ specs: [ReportSpec], result: GateResult) throws {
    for spec in specs {
      var text: String
      switch spec.kind {
      case .junit: text = JUnitReport.render(result)
      case .markdown: text = MarkdownReport.render(result)
      case .json: text = try JSONReport.render(result)
      case .annotations:
        for line in GitHubAnnotations.render(result) { Output.write(line) }
        continue
      }
      text = Redactor.scrub(text)
      guard let path = spec.path else { continue }
      // The step summary is appended to, as GitHub expects; other files are replaced.
      let append = path == ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"]
      if append, let handle = FileHandle(forWritingAtPath: path) {
        handle.seekToEndOfFile()
        handle.write(Data((text + "\n").utf8))
        handle.closeFile()
      } else if !FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8)) {
        throw PromptGateError(
          .environment, "cannot write the \(spec.kind.rawValue) report to \(path)")
      }
    }
  }
}
