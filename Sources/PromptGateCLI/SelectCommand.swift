import ArgumentParser
import PromptGateCore

/// `promptgate-select`: the eval sets a change selects, with reasons.
public struct SelectCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-select",
    abstract:
      "Print the eval sets that protect what changed between two sides, each with its reasons.",
    usage: "promptgate-select [<options>] [<revision> ...] [--staged | --worktree]",
    discussion: """
      Takes the same sides as promptgate-diff. An eval set is selected when a component it \
      protects changed, when its own definition, cases or files changed, or when a file matching \
      `global` changed. Eval sets come from the head's mapping.
      """)

  @OptionGroup public var common: CommonOptions
  @OptionGroup public var comparison: ComparisonOptions

  @Option(
    help: ArgumentHelp("Only eval sets of this tier (fast, release, ...).", valueName: "tier"))
  public var tier: String?

  @Option(help: "Output format: text or json.")
  public var format: OutputFormat = .text

  public init() {}

  public func run() async throws {
    let workspace = try common.workspace()
    let (base, head) = try comparison.sides(in: workspace.repository)
    let (old, new) = try workspace.states(base, head)
    try Mapping.requireTier(tier, declaredBy: [old.mapping, new.mapping])
    let changes = try ChangeDetector.compare(old, new)
    let selection = Selection(changes: changes, head: new.mapping, tier: tier)
    switch format {
    case .text: Output.write(ChangeRenderer.text(selection, tier: tier))
    case .json:
      Output.write(
        try Output.json(
          SelectionDocument(
            base: changes.base, head: changes.head, tier: tier, evalSets: selection.evalSets)))
    }
  }

  struct SelectionDocument: Encodable {
    let base: SideSummary
    let head: SideSummary
    let tier: String?
    let evalSets: [Selection.Entry]

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(base, forKey: .base)
      try container.encode(head, forKey: .head)
      try container.encode(tier, forKey: .tier)
      try container.encode(evalSets, forKey: .evalSets)
    }

    enum CodingKeys: String, CodingKey { case base, head, tier, evalSets }
  }
}
