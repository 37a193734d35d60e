import Foundation
import TestSupport
import Testing

/// Release tests' fixture: ``GateFixture`` with its eval set in the release tier.
enum ReleaseFixture {
  /// The gate fixture's repository, its `smoke` set moved to the `release` tier.
  static func make(mapping: String? = nil) throws -> GateFixture {
    try GateFixture(
      mapping: mapping
        ?? GateFixture.mapping().replacingOccurrences(of: "tier: fast", with: "tier: release"))
  }

  /// The seconds given as `GIT_COMMITTER_DATE` to the `n`th release of a test, so that tagger
  /// dates order releases as they were made.
  static func date(_ n: Int) -> String { "\(1_767_300_000 + 60 * n) +0000" }
}

extension GateFixture {
  /// Runs `promptgate-release` in the working tree, tagging at ``ReleaseFixture/date(_:)``.
  @discardableResult
  func release(
    _ arguments: [String] = [], date n: Int = 0, environment extra: [String: String] = [:]
  )
    throws -> CommandResult
  {
    try repository.run(
      "promptgate-release", arguments,
      environment: environment.merging(["GIT_COMMITTER_DATE": ReleaseFixture.date(n)]) { $1 }
        .merging(extra) { $1 })
  }

  /// The release tags in the repository, sorted.
  func releaseTags(in directory: String? = nil) throws -> [String] {
    let output =
      if let directory {
        try Subprocess.run(
          try Subprocess.which("git"), ["tag", "-l", "promptgate/*"], in: directory,
          environment: repository.environment
        ).stdout
      } else {
        try repository.git("tag", "-l", "promptgate/*")
      }
    return output.split(separator: "\n").map(String.init).sorted()
  }

  /// The full id of `bot` at `revision`, from `promptgate-version`.
  func botId(at revision: String = "HEAD") throws -> String {
    let result = try repository.run(
      "promptgate-version", ["--rev", revision, "--behavior", "bot", "--format", "json"])
    let entries = try JSONOutput.objects(result.stdout)
    return try #require(entries.first?["id"] as? String)
  }

  /// The release tag `promptgate/bot/<12 digits>` for the full id `id`.
  static func botTag(_ id: String) -> String {
    "promptgate/bot/" + id.dropFirst("pgv1-".count).prefix(12)
  }
}
