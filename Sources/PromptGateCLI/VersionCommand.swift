import ArgumentParser
import PromptGateCore

/// `promptgate-version`: the behavior version of each behavior at one side.
public struct VersionCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-version",
    abstract:
      "Print the behavior version of each behavior at a commit, in the index, or in the working tree.",
    usage: "promptgate-version [<options>] [--rev <rev> | --staged | --worktree]",
    discussion: """
      The id is pgv1- and the SHA-256 of the version's canonical JSON: the same behaviour has the \
      same id on every machine, at every commit. Revisions are read from git objects only.

      --format env prints PROMPTGATE_BEHAVIOR_ID_<NAME>='<id>' lines for a deploy step to \
      export.

      Exits 2 when a behavior is absent (a required source matches nothing) or the mapping is \
      invalid. The versions of the other behaviors are still printed; when every behavior is \
      absent, nothing is printed on stdout (`[]` with --format json) and stderr says why.
      """)

  public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, env
  }

  @OptionGroup public var common: CommonOptions

  @Option(help: ArgumentHelp("The commit to read (default HEAD).", valueName: "revision"))
  public var rev: String?

  @Flag(
    name: [.customLong("staged"), .customLong("cached")],
    help: "Read the index (GIT_INDEX_FILE when set).")
  public var staged = false

  @Flag(name: .long, help: "Read the working tree.")
  public var worktree = false

  @Option(help: ArgumentHelp("Only this behavior.", valueName: "name"))
  public var behavior: String?

  @Option(help: "Output format: text, json or env.")
  public var format: Format = .text

  public init() {}

  public mutating func validate() throws {
    if [rev != nil, staged, worktree].filter({ $0 }).count > 1 {
      throw ValidationError("choose one of --rev, --staged and --worktree")
    }
  }

  public func run() async throws {
    let workspace = try common.workspace()
    let side: Side = staged ? .index : worktree ? .workTree : .revision(rev ?? "HEAD")
    let state = try workspace.state(of: side)
    guard let mapping = state.mapping else {
      throw ExitWith(
        .usage,
        "\(side) has no promptgate.yaml; add one at the repository root, or pass --config PATH")
    }
    var behaviors = state.behaviors
    if let behavior {
      behaviors = behaviors.filter { $0.name == behavior }
      if behaviors.isEmpty {
        let names = mapping.behaviors.map(\.name).joined(separator: ", ")
        throw ExitWith(.usage, "no behavior named '\(behavior)' at \(side); defined: \(names)")
      }
    }
    var present: [ResolvedBehavior] = []
    var absent: [String] = []
    for (name, behaviorState) in behaviors {
      switch behaviorState {
      case .present(let resolved): present.append(resolved)
      case .absent(let absence):
        absent.append("behavior '\(name)' is absent at \(side): \(absence)")
      }
    }
    let renderer = VersionRenderer(behaviors: present)
    switch format {
    // With every behavior absent there is no version to print: stdout stays empty (JSON is `[]`)
    // and stderr says why.
    case .text where present.isEmpty, .env where present.isEmpty: break
    case .text: Output.write(renderer.text())
    case .json: Output.write(try renderer.json())
    case .env: Output.write(try renderer.env(single: behavior != nil))
    }
    if !absent.isEmpty {
      throw ExitWith(
        .usage,
        absent.joined(separator: "\n")
          + "\n  fix: add the missing file or value, or mark the source `optional: true`")
    }
  }
}
