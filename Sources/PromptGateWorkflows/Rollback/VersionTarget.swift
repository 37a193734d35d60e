import GitKit
import PromptGateCore

/// A version named on the command line, resolved to the commit that holds it.
///
/// The one way every command that names a version resolves it, in this order: `previous`
/// (`previous~N`), a release tag, a version id or a unique prefix of 7 or more hex digits, and
/// anything else as a git revision.
public struct VersionTarget: Encodable, Sendable {
  /// How the text was read.
  public enum Kind: String, Encodable, Sendable {
    case previous, release
    case versionID = "version-id"
    case revision
  }

  /// What the user gave.
  public let input: String
  /// How it was read.
  public let kind: Kind
  /// The commit it resolved to (40 hex digits).
  public let commit: String
  /// The release tag it went through, when it did.
  public let tag: String?
  /// How it was resolved, in words.
  public let how: String

  /// Resolves `text` for `behavior` in `workspace`'s repository; throws a usage error saying why
  /// when it names nothing, or names two things. A version id is looked up in HEAD's history,
  /// walked with `cache` when given.
  public static func resolve(
    _ text: String, behavior: String, in workspace: Workspace, cache: HistoryCache? = nil
  ) throws -> VersionTarget {
    let repository = workspace.repository
    if let steps = previousSteps(text) {
      return try previous(steps, text: text, behavior: behavior, in: workspace)
    }
    if text.hasPrefix(ReleaseRecord.tagPrefix) {
      let (records, _) = try ReleaseRecord.all(in: repository, behavior: nil)
      if let record = records.first(where: { $0.tag == text }) {
        guard record.behavior == behavior else {
          throw PromptGateError(
            .usage, "\(text) is a release of \(record.behavior), not of \(behavior)")
        }
        return VersionTarget(
          input: text, kind: .release, commit: record.commit, tag: record.tag,
          how: "the release tag \(record.tag) of \(record.id.full)")
      }
    }
    let prefixed = text.hasPrefix(BehaviorID.prefix)
    if let digits = BehaviorID.abbreviationDigits(text) {
      let found = try versions(matching: digits, behavior: behavior, in: workspace, cache: cache)
      let commit = prefixed ? nil : try? repository.resolveCommit(text)
      if found.count > 1 {
        throw PromptGateError(
          .usage,
          "'\(text)' is ambiguous: it begins the ids of "
            + found.map { "\($0.id.full) (at \($0.commit.prefix(12)))" }.joined(separator: ", ")
            + "; give more digits")
      }
      if let version = found.first {
        if let commit {
          throw PromptGateError(
            .usage,
            "'\(text)' is ambiguous: it begins the version id \(version.id.full) (at commit "
              + "\(version.commit.prefix(12))) and names the commit \(commit.hex); write "
              + "pgv1-\(text) for the version, or more digits of the commit")
        }
        return VersionTarget(
          input: text, kind: .versionID, commit: version.commit, tag: version.tag,
          how: "the version id \(version.id.full), \(version.where)")
      }
      if prefixed {
        throw PromptGateError(
          .usage,
          "no version of \(behavior) has an id beginning '\(text)' in HEAD's history or its "
            + "releases; 'promptgate log --behavior \(behavior)' lists them")
      }
    }
    let commit = try repository.resolveCommit(text)
    return VersionTarget(
      input: text, kind: .revision, commit: commit.hex, tag: nil,
      how: "the revision \(text)")
  }

  /// N for `previous` (0) and `previous~N`; nil for other text.
  static func previousSteps(_ text: String) -> Int? {
    if text == "previous" { return 0 }
    guard text.hasPrefix("previous~"), let steps = Int(text.dropFirst("previous~".count)),
      steps >= 0
    else { return nil }
    return steps
  }

  private static func previous(
    _ steps: Int, text: String, behavior: String, in workspace: Workspace
  ) throws -> VersionTarget {
    let head = try workspace.state(of: .revision("HEAD")).state(of: behavior)?.version?.id
    let (records, _) = try ReleaseRecord.all(in: workspace.repository, behavior: behavior)
    let older = records.filter { $0.id != head }
    guard steps < older.count else {
      throw PromptGateError(
        .usage,
        older.isEmpty
          ? "\(behavior) has no release whose id differs from HEAD's, so '\(text)' names nothing; "
            + "'promptgate release list --behavior \(behavior)' lists the releases"
          : "\(behavior) has \(older.count) release(s) whose id differs from HEAD's, so "
            + "'\(text)' names nothing; the oldest is previous~\(older.count - 1)")
    }
    let record = older[steps]
    return VersionTarget(
      input: text, kind: .previous, commit: record.commit, tag: record.tag,
      how: "the release \(record.tag), the "
        + (steps == 0 ? "newest" : "\(steps + 1)th newest")
        + " release whose id differs from HEAD's")
  }

  private struct Found {
    let id: BehaviorID
    let commit: String
    let tag: String?
    let `where`: String
  }

  /// Each distinct id of `behavior` that begins with `digits`: where it appeared last in HEAD's
  /// history (the newest commit at which the behavior took that id), else its release.
  private static func versions(
    matching digits: String, behavior: String, in workspace: Workspace, cache: HistoryCache?
  ) throws -> [Found] {
    var found: [BehaviorID: Found] = [:]
    var order: [BehaviorID] = []
    if let head = try workspace.repository.headCommit() {
      let history = try BehaviorHistory(
        workspace: workspace, options: .init(behavior: behavior), cache: cache
      ).walk(from: nil, to: head)
      for entry in history.entries {
        guard let id = entry.id, id.digest.hasPrefix(digits), found[id] == nil else { continue }
        found[id] = Found(
          id: id, commit: entry.commit, tag: nil,
          where: "which \(behavior) took at commit \(entry.commit.prefix(12))")
        order.append(id)
      }
    }
    let (records, _) = try ReleaseRecord.all(in: workspace.repository, behavior: behavior)
    for record in records where record.id.digest.hasPrefix(digits) && found[record.id] == nil {
      found[record.id] = Found(
        id: record.id, commit: record.commit, tag: record.tag,
        where: "released as \(record.tag)")
      order.append(record.id)
    }
    return order.compactMap { found[$0] }
  }
}
