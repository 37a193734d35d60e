import Foundation
import GitKit
import PromptGateCore

/// Pushes release tags with the real `git push`, create-only, and tells a lost race from a
/// failure.
public struct ReleasePush: Sendable {
  /// What became of one tag's push.
  public enum Outcome: Equatable, Sendable {
    /// The remote now has our tag (pushed, or it already had this very tag object).
    case pushed
    /// The remote already had another tag of that name, pointing at `commit` when known.
    case lostRace(commit: String?)
  }

  /// The remote, as the user named it (a remote's name or a URL).
  public let remote: String
  /// Where to run git: the working tree, or the git directory of a bare repository.
  public let directory: String

  /// Pushes to `remote` running git in `directory`.
  public init(remote: String, directory: String) {
    self.remote = remote
    self.directory = directory
  }

  /// The remote with any user name or password removed, for messages.
  public var shownRemote: String { Self.redacted(remote) }

  /// Throws a usage error when `remote` is neither a configured remote nor a URL or path.
  public func validate() throws {
    if remote.contains(":") || remote.contains("/") || remote == "." { return }
    let result = try git(["remote", "get-url", remote])
    guard result.status == 0 else {
      throw PromptGateError(
        .usage,
        "'\(shownRemote)' is not a remote of this repository; see git remote -v, or give a URL")
    }
  }

  /// Pushes `refs/tags/<name>` without `--force`, so an existing tag is never replaced. A
  /// rejection because the remote has the tag already, or gained it while we pushed, is a lost
  /// race; any other failure throws exit 3 with git's message.
  public func push(tag name: String, object: ObjectID) throws -> Outcome {
    let reference = "refs/tags/\(name)"
    let result = try git(["push", "--porcelain", remote, "\(reference):\(reference)"])
    if result.status == 0 { return .pushed }
    // Whatever git said ("already exists", "failed to lock", "stale info"), the question is
    // whether the remote has the tag now: if it has ours, fine; another one, we lost the race.
    if let theirs = try remoteTag(reference) {
      return theirs.object == object.hex ? .pushed : .lostRace(commit: theirs.commit)
    }
    let message = Self.redacted(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
    throw PromptGateError(
      .unavailable,
      "could not push \(name) to \(shownRemote) (the release is recorded locally; push it again "
        + "with promptgate release --push, or git push \(shownRemote) \(reference)):\n\(message)")
  }

  /// The remote's tag object and the commit it peels to, or nil when the remote lacks the tag
  /// or cannot be asked.
  private func remoteTag(_ reference: String) throws -> (object: String, commit: String?)? {
    let result = try git(["ls-remote", remote, reference, reference + "^{}"])
    guard result.status == 0 else { return nil }
    var object: String?
    var commit: String?
    for line in result.stdout.split(separator: "\n") {
      let fields = line.split(separator: "\t").map(String.init)
      guard fields.count == 2 else { continue }
      if fields[1] == reference { object = fields[0] }
      if fields[1] == reference + "^{}" { commit = fields[0] }
    }
    guard let object else { return nil }
    return (object, commit ?? object)
  }

  private struct Result {
    let status: Int32
    let stdout: String
    /// stdout and stderr together, for messages.
    let output: String
  }

  /// Runs git in ``directory`` with prompts for credentials turned off.
  private func git(_ arguments: [String]) throws -> Result {
    let result = try GitProcess(directory: directory, launchFailure: .unavailable).run(arguments)
    let text = String(decoding: result.stdout, as: UTF8.self)
    return Result(status: result.status, stdout: text, output: text + result.stderr)
  }

  /// `text` with the user information of every URL in it removed (`https://user:token@host`
  /// becomes `https://host`), so that no credential reaches a log.
  public static func redacted(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let scheme = rest.range(of: "://") {
      result += rest[..<scheme.upperBound]
      rest = rest[scheme.upperBound...]
      let authority = rest.prefix { !"/ \t\n\"'".contains($0) }
      if let at = authority.lastIndex(of: "@") {
        rest = rest[rest.index(after: at)...]
      }
    }
    return result + rest
  }
}
