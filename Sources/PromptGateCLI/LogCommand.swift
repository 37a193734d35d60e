import ArgumentParser
import GitKit
import PromptGateCore

/// `promptgate-log`: the commits at which a behavior's version changed.
public struct LogCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-log",
    abstract: "List the commits at which a behavior's version changed.",
    usage: "promptgate-log [<options>] [<range>]",
    discussion: """
      Walks A..B (default: all of HEAD's history), comparing each commit with its first parent. \
      Without --first-parent a merge is listed only when it differs from every parent. A behavior \
      appears (previous id null) when it becomes defined and resolvable, and disappears (id null) \
      when it stops being. A commit whose mapping is invalid gets one warning and the walk goes \
      on. In a shallow clone the walk stops at the boundary and says so.

      --behavior NAME that no walked commit defines exits 2, naming the behaviors that are \
      defined. -n N keeps the N newest entries, as git log -n does; --reverse then prints them \
      oldest first.

      What each walk learns is cached in history/ beside the result store (--store PATH, by \
      default promptgate/store in the git directory), so the next walk reads only the commits \
      added since; --no-cache walks without it. A cache that cannot be read or written is a \
      warning and the walk recomputes.
      """)

  @OptionGroup public var common: CommonOptions

  @OptionGroup public var cache: HistoryCacheOptions

  @Argument(
    help: ArgumentHelp("A..B, or B for all of B's history (default HEAD).", valueName: "range"))
  public var range: String?

  @Flag(help: "Follow only the first parent of merges.")
  public var firstParent = false

  @Option(help: ArgumentHelp("Only this behavior.", valueName: "name"))
  public var behavior: String?

  @Flag(help: "Oldest first.")
  public var reverse = false

  @Option(
    name: [.customShort("n"), .customLong("max-count")],
    help: ArgumentHelp(
      "Print at most this many entries, the newest (with --reverse, those oldest first).",
      valueName: "n"))
  public var maxCount: Int?

  @Option(help: "Output format: text or json.")
  public var format: OutputFormat = .text

  public init() {}

  public mutating func validate() throws {
    if let maxCount, maxCount < 1 {
      throw ValidationError("-n/--max-count must be 1 or more, not \(maxCount)")
    }
  }

  public func run() async throws {
    let workspace = try common.workspace()
    let repository = workspace.repository
    let (base, head) = try Self.parse(range ?? "HEAD", in: repository)
    guard let head else {
      if format == .json { Output.write("[]") }
      return
    }
    let walker = BehaviorHistory(
      workspace: workspace,
      options: .init(firstParent: firstParent, behavior: behavior, maxCount: maxCount),
      cache: cache.cache(for: workspace))
    let history = try walker.walk(from: base, to: head)
    for warning in history.warnings { Output.error("promptgate-log: warning: \(warning)") }
    let entries = reverse ? Array(history.entries.reversed()) : history.entries
    switch format {
    case .json: Output.write(try Output.json(entries))
    case .text:
      if !entries.isEmpty { Output.write(bytes: Self.text(entries)) }
    }
    for commit in history.cutAt {
      Output.error(
        "promptgate-log: history is cut at shallow commit \(commit.prefix(12)): older changes are not listed\n"
          + "  " + Repository.shallowFix)
    }
  }

  /// The text lines of `entries`, each ended by a newline: `COMMIT12 NAME OLD -> NEW
  /// (COMPONENTS)`, with `(none)` for a missing id. Written as bytes: a long log built as
  /// strings spent more in joining and converting them than in the walk it printed.
  static func text(_ entries: [LogEntry]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(entries.count * 96)
    func id(_ id: BehaviorID?) {
      if let id {
        bytes += "pgv1-".utf8
        bytes += id.digest.utf8.prefix(12)
      } else {
        bytes += "(none)".utf8
      }
    }
    for entry in entries {
      bytes += entry.commit.utf8.prefix(12)
      bytes.append(0x20)
      bytes += entry.behavior.utf8
      bytes.append(0x20)
      id(entry.previousId)
      bytes += " -> ".utf8
      id(entry.id)
      bytes += " (".utf8
      for (index, component) in entry.changed.enumerated() {
        if index > 0 { bytes += ", ".utf8 }
        bytes += component.rawValue.utf8
      }
      bytes += ")\n".utf8
    }
    return bytes
  }

  /// The base (nil for all history) and head of a range; a nil head for an unborn HEAD.
  static func parse(_ range: String, in repository: Repository) throws -> (ObjectID?, ObjectID?) {
    if range.contains("...") {
      throw ValidationError("log takes A..B, not A...B")
    }
    if let split = range.range(of: "..") {
      let first = String(range[..<split.lowerBound]).nonEmpty ?? "HEAD"
      let second = String(range[split.upperBound...]).nonEmpty ?? "HEAD"
      return (try repository.resolveCommit(first), try repository.resolveCommit(second))
    }
    if range == "HEAD", try repository.headCommit() == nil { return (nil, nil) }
    return (nil, try repository.resolveCommit(range))
  }
}
