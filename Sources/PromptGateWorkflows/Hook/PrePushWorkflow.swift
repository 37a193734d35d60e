import Foundation
import GitKit
import PromptGateCore

/// The pre-push hook: each ref git is about to push, gated against what the remote has.
public enum PrePushWorkflow {
  /// One line of git's pre-push input: push `localSHA` (at `localRef`) to `remoteRef`, which is
  /// at `remoteSHA` on the remote; all zeros for a deletion or a ref the remote lacks.
  public struct RefUpdate: Equatable, Sendable {
    public let localRef: String
    public let localSHA: String
    public let remoteRef: String
    public let remoteSHA: String

    /// Creates an update from its four fields.
    public init(localRef: String, localSHA: String, remoteRef: String, remoteSHA: String) {
      self.localRef = localRef
      self.localSHA = localSHA
      self.remoteRef = remoteRef
      self.remoteSHA = remoteSHA
    }

    /// The lines git writes to the hook's stdin.
    public static func parse(_ text: String) throws -> [RefUpdate] {
      try text.split(separator: "\n").compactMap { line in
        let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
        if fields.isEmpty { return nil }
        guard fields.count == 4 else {
          throw PromptGateError(
            .usage,
            "pre-push: expected '<local ref> <local sha> <remote ref> <remote sha>', got '\(line.prefix(200))'"
          )
        }
        return RefUpdate(
          localRef: fields[0], localSHA: fields[1], remoteRef: fields[2], remoteSHA: fields[3])
      }
    }

    /// The single update the pre-commit framework describes in its variables (it reads git's
    /// input itself), with the remote's name; nil outside the framework.
    public static func fromPreCommitFramework(_ environment: [String: String]) -> (
      RefUpdate, remote: String?
    )? {
      guard environment["PRE_COMMIT"] == "1",
        let local = environment["PRE_COMMIT_TO_REF"] ?? environment["PRE_COMMIT_LOCAL_BRANCH"]
      else { return nil }
      let update = RefUpdate(
        localRef: environment["PRE_COMMIT_LOCAL_BRANCH"] ?? local, localSHA: local,
        remoteRef: environment["PRE_COMMIT_REMOTE_BRANCH"] ?? local,
        remoteSHA: environment["PRE_COMMIT_FROM_REF"] ?? String(repeating: "0", count: 40))
      return (update, environment["PRE_COMMIT_REMOTE_NAME"])
    }

    /// True for git's all-zeros id.
    public static func isZero(_ sha: String) -> Bool {
      !sha.isEmpty && sha.allSatisfy { $0 == "0" }
    }

    /// The remote ref without `refs/heads/`, as people name branches.
    public var name: String {
      remoteRef.hasPrefix("refs/heads/") ? String(remoteRef.dropFirst(11)) : remoteRef
    }
  }

  /// Gates every ref in `updates` (deletions skipped) pushed to `remote`; stops at the first
  /// that fails.
  public static func run(
    updates: [RefUpdate], remote: String?, tier: String, repository: String?, config: String?,
    events: @escaping HookEvents
  ) async throws -> HookOutcome {
    if ProcessInfo.processInfo.environment["PROMPTGATE_SKIP"] == "1" {
      events(nil, .skipped(hook: "pre-push"))
      return .passed
    }
    guard updates.contains(where: { !RefUpdate.isZero($0.localSHA) }) else { return .passed }
    let workspace = try Workspace.open(repository: repository, config: config)
    let hook = HookGate(workspace: workspace, tier: tier, events: events)
    for update in updates where !RefUpdate.isZero(update.localSHA) {
      guard let head = try? workspace.repository.resolveCommit(update.localSHA) else {
        events(update.name, .note("\(update.localSHA) is not a commit; not gated"))
        continue
      }
      var notes: [String] = []
      let base = try base(
        of: update, head: head, remote: remote, repository: workspace.repository, notes: &notes)
      let outcome = try await hook.gate(
        base: base, head: .revision(head.hex), ref: update.name,
        subject: "what is pushed to \(update.name)", notes: notes, skipHint: HookSkipHint.prePush)
      if case .blocked = outcome { return outcome }
    }
    return .passed
  }

  /// What `update` is compared with: the remote's commit when this repository has it, else the
  /// new branch's base by ``BranchBase``.
  static func base(
    of update: RefUpdate, head: ObjectID, remote: String?, repository: Repository,
    notes: inout [String]
  ) throws -> Side {
    if !RefUpdate.isZero(update.remoteSHA) {
      if let id = try? repository.resolveCommit(update.remoteSHA) { return .revision(id.hex) }
      let fetch = remote.map { "git fetch \($0)" } ?? "git fetch"
      notes.append(
        "the remote's \(update.remoteSHA.prefix(7)) is not in this repository (\(fetch) gets it); "
          + "gating as a new branch")
    }
    let found = try BranchBase.find(
      head: head, reference: update.localRef, remote: remote, defaultBranch: nil, in: repository)
    guard let mergeBase = found.mergeBase else {
      notes.append("no common ancestor with \(found.against): every behavior counts as changed")
      return .empty
    }
    notes.append(
      "new on the remote: gated against its merge-base with \(found.against), \(mergeBase.short)")
    return found.side
  }
}
