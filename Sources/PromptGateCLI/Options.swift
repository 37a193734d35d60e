import ArgumentParser
import GitKit
import PromptGateCore
import PromptGateWorkflows

/// Options every command takes.
public struct CommonOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read the mapping from this file for every side and commit, instead of each side's own promptgate.yaml.",
      valueName: "path"))
  public var config: String?

  @Option(
    name: [.customShort("C"), .long],
    help: ArgumentHelp("Run as if started in this directory.", valueName: "path"))
  public var repository: String?

  public init() {}

  /// The repository and mapping these options name.
  public func workspace() throws -> Workspace {
    try Self.workspace(repository: repository, config: config)
  }

  /// The repository at (or above) `repository`, or the current directory, with `config` read.
  static func workspace(repository: String?, config: String?) throws -> Workspace {
    try Workspace.open(repository: repository, config: config)
  }
}

/// Output formats for results.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case text
  case json
}

/// The two sides of a comparison, given as git gives them: `A B`, `A..B`, `A...B`, `--staged`,
/// `--worktree`, or `REV` with either.
public struct ComparisonOptions: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "Revisions: A B or A..B (A to B), A...B (from their merge-base to B), or one revision compared with the index (--staged) or the working tree.",
      valueName: "revision"))
  public var revisions: [String] = []

  @Flag(
    name: [.customLong("staged"), .customLong("cached")],
    help: "Compare HEAD (or the given revision) with the index.")
  public var staged = false

  @Flag(name: .long, help: "Compare the index (or the given revision) with the working tree.")
  public var worktree = false

  public init() {}

  public mutating func validate() throws {
    if staged && worktree {
      throw ValidationError("--staged and --worktree cannot be used together")
    }
    if revisions.count > 2 { throw ValidationError("give at most two revisions") }
    if revisions.count == 2 && (staged || worktree) {
      throw ValidationError("--staged and --worktree take at most one revision")
    }
    if revisions.count == 1, revisions[0].contains(".."), staged || worktree {
      throw ValidationError("a range cannot be compared with the index or the working tree")
    }
  }

  /// The base and head sides.
  public func sides(in repository: Repository) throws -> (Side, Side) {
    switch revisions.count {
    case 0:
      return staged ? (.revision("HEAD"), .index) : (.index, .workTree)
    case 1:
      let text = revisions[0]
      if let range = text.range(of: "...") {
        let first = String(text[..<range.lowerBound]).nonEmpty ?? "HEAD"
        let second = String(text[range.upperBound...]).nonEmpty ?? "HEAD"
        let base = try repository.mergeBase(
          try repository.resolveCommit(first), try repository.resolveCommit(second))
        return (.revision(base.hex), .revision(second))
      }
      if let range = text.range(of: "..") {
        let first = String(text[..<range.lowerBound]).nonEmpty ?? "HEAD"
        let second = String(text[range.upperBound...]).nonEmpty ?? "HEAD"
        return (.revision(first), .revision(second))
      }
      return (.revision(text), staged ? .index : .workTree)
    default:
      return (.revision(revisions[0]), .revision(revisions[1]))
    }
  }
}

extension String {
  var nonEmpty: String? { isEmpty ? nil : self }
}
