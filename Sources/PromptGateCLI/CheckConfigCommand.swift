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
    // Every eval set's cases must parse: a typo in a case fails here, not in the hook.
    var problems: [Diagnostic] = []
    for set in mapping.evalSets {
      do {
        _ = try GatePlanner.cases(of: set, at: state)
      } catch let diagnostics as Diagnostics {
        problems += diagnostics.items
      } catch let diagnostic as Diagnostic {
        problems.append(diagnostic)
      }
    }
    if !problems.isEmpty { throw Diagnostics(problems) }
    Output.write(
      "\(mapping.file): ok (\(mapping.behaviors.count) behavior\(mapping.behaviors.count == 1 ? "" : "s"), "
        + "\(mapping.evalSets.count) eval set\(mapping.evalSets.count == 1 ? "" : "s"))")
  }
}
