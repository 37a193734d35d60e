import ArgumentParser
import Foundation
import PromptGateCore

/// `promptgate-check-config`: validates a mapping file and does nothing else.
public struct CheckConfigCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-check-config",
    abstract: "Validate promptgate.yaml (or --config PATH) and report every problem with its line.",
    usage: "promptgate-check-config [<options>] [--rev <revision> | --staged]",
    discussion:
      "Reads the working tree's promptgate.yaml, the index's with --staged, or a commit's with --rev, and parses every eval set's cases file there."
  )

  @OptionGroup public var common: CommonOptions

  @Option(help: ArgumentHelp("Check the mapping at this commit.", valueName: "revision"))
  public var rev: String?

  @Flag(
    name: [.customLong("staged"), .customLong("cached")], help: "Check the mapping in the index.")
  public var staged = false

  public init() {}

  public func run() async throws {
    let workspace = try common.workspace()
    let side: Side = staged ? .index : rev.map(Side.revision) ?? .workTree
    let state = try workspace.state(of: side)
    guard let mapping = state.mapping else {
      throw ExitWith(
        .usage, "\(side) has no \(MappingParser.fileName); create one at the repository root")
    }
    // Sources against the files, cases and assertions against the sets, `files:` as the gate
    // reads them: a typo fails here, not in the hook.
    let problems = MappingCheck.problems(at: state) { KeptUntilExit.keep($0) }
    let errors = problems.filter { $0.severity == .error }
    let warnings = problems.filter { $0.severity == .warning }
    guard errors.isEmpty else { throw Diagnostics(errors + warnings) }
    if !warnings.isEmpty { Output.error(Diagnostics(warnings).description) }
    let counts = [
      Self.count(mapping.behaviors.count, "behavior"),
      Self.count(mapping.evalSets.count, "eval set"),
    ]
    let noted = warnings.isEmpty ? "" : "; " + Self.count(warnings.count, "warning")
    Output.write("\(mapping.file): ok (\(counts.joined(separator: ", "))\(noted))")
    KeptUntilExit.keep(workspace, state, problems)
  }

  static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }
}
