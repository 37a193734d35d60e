import ArgumentParser
import PromptGateCore

/// `promptgate-diff`: which behaviors and components changed between two sides.
public struct DiffCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-diff",
    abstract: "Show which behaviors and components changed between two sides.",
    usage: "promptgate-diff [<options>] [<revision> ...] [--staged | --worktree]",
    discussion: """
      Sides are given as for git diff: none compares the index with the working tree; --staged \
      compares HEAD with the index; REV compares REV with the working tree (or the index with \
      --staged); A B and A..B compare two commits; A...B compares their merge-base with B.

      The diff is semantic: an edit elsewhere in a shared YAML file, a reformat or a key reorder \
      inside a selected subtree is no change. Changes to eval sets and global files are listed too.
      """)

  @OptionGroup public var common: CommonOptions
  @OptionGroup public var comparison: ComparisonOptions

  @Option(help: "Output format: text or json.")
  public var format: OutputFormat = .text

  @Flag(help: "Exit 1 when anything changed, 0 when nothing did, as git diff --exit-code.")
  public var exitCode = false

  public init() {}

  public func run() async throws {
    let workspace = try common.workspace()
    let (base, head) = try comparison.sides(in: workspace.repository)
    let (old, new) = try workspace.states(base, head)
    let changes = try ChangeDetector.compare(old, new)
    switch format {
    case .text:
      let text = ChangeRenderer.text(changes)
      if !text.isEmpty { Output.write(text) }
    case .json:
      Output.write(try Output.json(ChangeRenderer.Document(changes: changes, selection: nil)))
    }
    if exitCode && changes.hasChanges { throw ExitWith(.found) }
  }
}
