import Foundation
import PromptGateCore

/// The result store shared through the git remote: entries as blobs in a tree under
/// `refs/promptgate/results`, outside `refs/heads`, so that ordinary fetches, checkouts and
/// `on: push` workflows never see it. `fetch` makes the remote's entries readable by the gate,
/// apart from what this clone wrote; `push` adds this clone's new entries on top of the remote's.
public struct SharedResults: Sendable {
  /// The ref on the remote.
  public static let reference = "refs/promptgate/results"
  /// Where this clone keeps the last commit of the ref it fetched or pushed.
  public static let fetchedReference = "refs/promptgate/fetched"
  /// How many times a push that lost a race fetches, merges and tries again.
  public static let attempts = 5

  /// What a fetch brought.
  public struct Fetched: Sendable, Equatable {
    /// The ref's commit; nil when the remote has no shared results yet.
    public let commit: String?
    /// Entries written or removed in the local copy.
    public let added: Int
    public let removed: Int
  }

  /// What a push did.
  public struct Pushed: Sendable, Equatable {
    /// The ref's commit after the push.
    public let commit: String?
    /// Entries this clone added to the ref (0: the remote had everything).
    public let added: Int
    /// Pushes that lost a race before this one won.
    public let retries: Int
  }

  let git: GitProcess
  let store: ResultStore
  /// The remote, as the user named it.
  public let remote: String

  /// Shares `store` through `remote`, running git in `directory`.
  public init(store: ResultStore, remote: String, directory: String) {
    self.store = store
    self.remote = remote
    git = GitProcess(directory: directory)
  }

  /// Fetches the remote's ref into ``fetchedReference``, where the gate reads its entries
  /// (``FetchedResults``): nothing is copied out of git's objects.
  public func fetch() throws -> Fetched {
    let previous = synchronised()
    let result = try git.run([
      "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", remote,
      "+\(Self.reference):\(Self.fetchedReference)",
    ])
    if result.status != 0 {
      if result.stderr.contains("couldn't find remote ref") {
        return Fetched(commit: nil, added: 0, removed: 0)
      }
      throw PromptGateError(
        .unavailable,
        "could not fetch \(Self.reference) from \(ReleasePush.redacted(remote)): \(Redactor.scrub(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))"
      )
    }
    let commit = try git.commit(Self.fetchedReference)
    let (added, removed) = try changes(from: previous, to: commit)
    return Fetched(commit: commit, added: added, removed: removed)
  }

  /// Adds the entries this clone wrote that the ref lacks, on top of the remote's commit, and
  /// pushes without `--force` (and `--no-verify`: PromptGate's own pre-push hook must not gate
  /// it). Entries the remote removed since this clone last synchronised (a prune) stay removed;
  /// where both hold an entry, the remote's is kept. A push that loses a race fetches, merges
  /// and tries again, at most ``attempts`` times.
  public func push() throws -> Pushed {
    let identity = try self.identity()
    for attempt in 0..<Self.attempts {
      let base = synchronised()
      let remoteCommit = try fetch().commit
      let remoteEntries = try paths(in: remoteCommit)
      let baseEntries = base == remoteCommit ? remoteEntries : try paths(in: base)
      let pruned = prunedPaths()
      let new = store.localEntryPaths().filter {
        !remoteEntries.contains($0) && !baseEntries.contains($0) && !pruned.contains($0)
      }
      guard !new.isEmpty else {
        return Pushed(commit: remoteCommit, added: 0, retries: attempt)
      }
      let commit = try makeCommit(adding: new, onto: remoteCommit, identity: identity)
      let result = try git.run([
        "push", "--quiet", "--no-verify", "--porcelain", remote, "\(commit):\(Self.reference)",
      ])
      if result.status == 0 {
        _ = try git.checked(["update-ref", Self.fetchedReference, commit])
        return Pushed(commit: commit, added: new.count, retries: attempt)
      }
      let said = String(decoding: result.stdout, as: UTF8.self) + result.stderr
      guard Self.lostRace(said) else {
        throw PromptGateError(
          .unavailable,
          "could not push \(Self.reference) to \(ReleasePush.redacted(remote)): \(Redactor.scrub(said.trimmingCharacters(in: .whitespacesAndNewlines)))"
        )
      }
    }
    throw PromptGateError(
      .environment,
      "could not push \(Self.reference) to \(ReleasePush.redacted(remote)): another writer won the race \(Self.attempts) times; try again"
    )
  }

  /// What pruning the ref kept and removed.
  public struct Pruned: Sendable, Equatable {
    public let keptResults: Int
    public let removedResults: Int
    public let judgements: Int
    /// The ref's new commit; nil in a dry run or when nothing was removed.
    public let commit: String?
  }

  /// Rewrites the ref with only the results of `needed` behavior versions (and every judge
  /// verdict), as a commit with no parent pushed with `--force-with-lease`, so that the pruned
  /// blobs become unreachable and a later gc on the remote drops them. A writer that fetched
  /// before the prune does not add them back: they are in its last synchronised commit.
  public func prune(keeping needed: Set<String>, dryRun: Bool) throws -> Pruned {
    for _ in 0..<Self.attempts {
      guard let remoteCommit = try fetch().commit else {
        return Pruned(keptResults: 0, removedResults: 0, judgements: 0, commit: nil)
      }
      let listing = try git.checked(["ls-tree", "-r", "-z", remoteCommit]).stdout
      var kept: [(path: String, id: String)] = []
      var results: [(path: String, id: String)] = []
      var removed: [String] = []
      var judgements = 0
      for record in listing.split(separator: 0) {
        let text = String(decoding: record, as: UTF8.self)
        guard let tab = text.firstIndex(of: "\t") else { continue }
        let fields = text[..<tab].split(separator: " ")
        let path = String(text[text.index(after: tab)...])
        guard fields.count == 3, fields[1] == "blob" else { continue }
        if path.hasPrefix("judgements/") {
          judgements += 1
          kept.append((path, String(fields[2])))
        } else {
          results.append((path, String(fields[2])))
        }
      }
      for (entry, bytes) in zip(results, try blobs(results.map(\.id))) {
        let id = (try? JSONDecoder().decode(StoredResult.self, from: bytes))?.behaviorId
        if let id, needed.contains(id) { kept.append(entry) } else { removed.append(entry.path) }
      }
      let keptResults = kept.count - judgements
      guard !dryRun, !removed.isEmpty else {
        return Pruned(
          keptResults: keptResults, removedResults: removed.count, judgements: judgements,
          commit: nil)
      }
      // No parent: the pruned blobs become unreachable.
      let commit = try self.commit(
        kept, onto: nil, parent: nil, message: "promptgate: pruned to \(keptResults) results",
        identity: try identity())
      let result = try git.run([
        "push", "--quiet", "--no-verify", "--porcelain",
        "--force-with-lease=\(Self.reference):\(remoteCommit)", remote,
        "\(commit):\(Self.reference)",
      ])
      if result.status == 0 {
        _ = try git.checked(["update-ref", Self.fetchedReference, commit])
        try recordPruned(removed)
        return Pruned(
          keptResults: keptResults, removedResults: removed.count, judgements: judgements,
          commit: commit)
      }
      let said = String(decoding: result.stdout, as: UTF8.self) + result.stderr
      guard Self.lostRace(said) else {
        throw PromptGateError(
          .unavailable,
          "could not push the pruned \(Self.reference) to \(ReleasePush.redacted(remote)): \(Redactor.scrub(said.trimmingCharacters(in: .whitespacesAndNewlines)))"
        )
      }
    }
    throw PromptGateError(
      .environment,
      "could not prune \(Self.reference) on \(ReleasePush.redacted(remote)): it changed while pruning \(Self.attempts) times; try again"
    )
  }

  /// Paths this clone pruned from the ref: its own copies are never pushed back.
  private func prunedPaths() -> Set<String> {
    let text = (try? String(contentsOfFile: store.sharedDirectory + "/.pruned", encoding: .utf8))
    return Set((text ?? "").split(separator: "\n").map(String.init))
  }

  private func recordPruned(_ paths: [String]) throws {
    let all = prunedPaths().union(paths).sorted().joined(separator: "\n") + "\n"
    try FileManager.default.createDirectory(
      atPath: store.sharedDirectory, withIntermediateDirectories: true)
    guard
      FileManager.default.createFile(
        atPath: store.sharedDirectory + "/.pruned", contents: Data(all.utf8))
    else {
      throw PromptGateError(.environment, "cannot write \(store.sharedDirectory)/.pruned")
    }
  }

  /// Whether git's answer to a push says the remote moved while we merged.
  static func lostRace(_ said: String) -> Bool {
    [
      "non-fast-forward", "fetch first", "stale info", "failed to update ref", "cannot lock ref",
    ]
    .contains { said.contains($0) }
  }

  /// The ref's commit as this clone last fetched or pushed it.
  private func synchronised() -> String? {
    try? git.commit(Self.fetchedReference)
  }

  /// The entry paths of `commit`'s tree.
  private func paths(in commit: String?) throws -> Set<String> {
    guard let commit else { return [] }
    let listing = try git.checked(["ls-tree", "-r", "-z", "--name-only", commit])
    return Set(listing.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
  }

  /// A commit of the remote's tree plus `paths` from the local store.
  private func makeCommit(adding paths: [String], onto parent: String?, identity: [String: String])
    throws -> String
  {
    let files = paths.map { store.directory + "/" + $0 }.joined(separator: "\n") + "\n"
    let ids = try git.checked(["hash-object", "-w", "--stdin-paths"], input: Data(files.utf8))
      .text.split(separator: "\n").map(String.init)
    guard ids.count == paths.count else {
      throw PromptGateError(.environment, "git hash-object did not hash every stored entry")
    }
    return try commit(
      Array(zip(paths, ids)), onto: parent, parent: parent,
      message: "promptgate: \(paths.count) results", identity: identity)
  }

  /// A commit of `tree`'s entries (nil: none) with `entries` added, by `parent` (nil: none).
  private func commit(
    _ entries: [(path: String, id: String)], onto tree: String?, parent: String?,
    message: String, identity: [String: String]
  ) throws -> String {
    let index = store.directory + "/tmp/shared-index-\(UUID().uuidString)"
    try FileManager.default.createDirectory(
      atPath: store.directory + "/tmp", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: index) }
    var plumbing = git
    plumbing.environment = identity.merging(["GIT_INDEX_FILE": index]) { $1 }
    _ = try plumbing.checked(tree.map { ["read-tree", $0] } ?? ["read-tree", "--empty"])
    let info = entries.map { "100644 \($0.id)\t\($0.path)" }.joined(separator: "\n") + "\n"
    _ = try plumbing.checked(["update-index", "--add", "--index-info"], input: Data(info.utf8))
    var arguments = ["commit-tree", try plumbing.checked(["write-tree"]).text, "-m", message]
    if let parent { arguments += ["-p", parent] }
    return try plumbing.checked(arguments).text
  }

  /// PromptGate's identity when git has none (a fresh CI runner), else nothing.
  private func identity() throws -> [String: String] {
    guard try git.run(["var", "GIT_COMMITTER_IDENT"]).status != 0 else { return [:] }
    return [
      "GIT_AUTHOR_NAME": "PromptGate", "GIT_AUTHOR_EMAIL": "promptgate@localhost",
      "GIT_COMMITTER_NAME": "PromptGate", "GIT_COMMITTER_EMAIL": "promptgate@localhost",
    ]
  }

  /// How many entries `commit` has that `previous` lacks (or holds changed), and the reverse:
  /// a comparison of trees that skips every subtree with the same id.
  private func changes(from previous: String?, to commit: String?) throws -> (
    added: Int, removed: Int
  ) {
    guard let commit, previous != commit else { return (0, 0) }
    guard let previous else { return (try paths(in: commit).count, 0) }
    let diff = try git.checked([
      "diff-tree", "-r", "-z", "--no-renames", "--name-status", previous, commit,
    ])
    // `status\0path\0`, repeated.
    let fields = diff.stdout.split(separator: 0)
    var added = 0
    var removed = 0
    for status in stride(from: 0, to: fields.count, by: 2) {
      if fields[status].first == UInt8(ascii: "D") { removed += 1 } else { added += 1 }
    }
    return (added, removed)
  }

  /// The contents of the blobs `ids`, in order, read by one `git cat-file --batch`.
  private func blobs(_ ids: [String]) throws -> [Data] {
    guard !ids.isEmpty else { return [] }
    let output = try git.checked(
      ["cat-file", "--batch"], input: Data((ids.joined(separator: "\n") + "\n").utf8)
    ).stdout
    var result: [Data] = []
    var offset = output.startIndex
    for _ in ids {
      guard let newline = output[offset...].firstIndex(of: 10) else { break }
      let header = String(decoding: output[offset..<newline], as: UTF8.self).split(separator: " ")
      guard header.count == 3, let size = Int(header[2]) else {
        throw PromptGateError(.environment, "git cat-file gave an unexpected answer")
      }
      let start = output.index(after: newline)
      let end = output.index(start, offsetBy: size)
      result.append(Data(output[start..<end]))
      offset = output.index(after: end)
    }
    guard result.count == ids.count else {
      throw PromptGateError(.environment, "git cat-file did not give every fetched result")
    }
    return result
  }
}
