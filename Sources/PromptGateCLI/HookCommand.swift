import ArgumentParser
import Foundation
import GitKit
import PromptGateCore

/// `promptgate-hook`: what the git hooks run.
public struct HookCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-hook",
    abstract:
      "Run PromptGate's part of a git hook (called by hooks/pre-commit and hooks/pre-push).",
    discussion: """
      pre-commit compares HEAD (its parent under git commit --amend) with the index that git
      names in GIT_INDEX_FILE, prints which behaviors changed and which fast eval sets are
      selected, and stays silent when nothing relevant is staged. It never writes the index or
      the working tree. When fast eval sets are selected it runs them on the staged behaviour
      and the baseline (promptgate-gate --staged --tier fast) and fails the commit on a
      regression. When it could not evaluate (a provider unreachable) it warns and lets the
      commit through, unless the mapping sets `hook: {onUnavailable: fail}`. PROMPTGATE_SKIP=1
      (or git commit --no-verify) skips it once.

      pre-push REMOTE URL gates each ref git pushes (read from stdin) the same way: not a
      deletion; an update from the remote's commit; a new branch, or one whose remote commit is
      missing here, from its merge-base with REMOTE/HEAD, else REMOTE/main, else REMOTE/master
      (with none, every behavior counts as changed). Under the pre-commit framework it reads
      PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF. PROMPTGATE_SKIP=1 or --no-verify skips it.
      """)

  public enum Hook: String, ExpressibleByArgument, CaseIterable, Sendable {
    case preCommit = "pre-commit"
    case prePush = "pre-push"
  }

  @Argument(help: "The hook to run: pre-commit or pre-push.")
  public var hook: Hook

  @Argument(help: "pre-push: the remote's name and URL, as git passes them to the hook.")
  public var hookArguments: [String] = []

  @OptionGroup public var common: CommonOptions

  @Option(help: ArgumentHelp("The tier of eval sets the hook selects.", valueName: "tier"))
  public var tier = "fast"

  public init() {}

  /// The executable's entry: `pre-commit` with no options, as every hook calls it, runs without
  /// the argument parser, whose start-up costs a few milliseconds on each commit.
  public static func main(_ arguments: [String]) -> Never {
    guard arguments == ["pre-commit"] else { CommandRunner.main(Self.self) }
    CommandRunner.run(Self.self) { try preCommit(tier: "fast", repository: nil, config: nil) }
  }

  public func validate() throws {
    guard hookArguments.count > (hook == .prePush ? 2 : 0) else { return }
    throw ValidationError(
      hook == .prePush ? "pre-push takes the remote's name and URL" : "pre-commit takes none")
  }

  public func run() throws {
    switch hook {
    case .preCommit:
      try Self.preCommit(tier: tier, repository: common.repository, config: common.config)
    case .prePush:
      try Self.prePush(
        remote: hookArguments.first, tier: tier, repository: common.repository,
        config: common.config)
    }
  }

  static func preCommit(tier: String, repository: String?, config: String?) throws {
    if ProcessInfo.processInfo.environment["PROMPTGATE_SKIP"] == "1" {
      Output.error("promptgate: pre-commit skipped (PROMPTGATE_SKIP=1)")
      return
    }
    if repository == nil, config == nil, try isNoOpWithoutLibgit2() { return }
    let workspace = try CommonOptions.workspace(repository: repository, config: config)
    let base = try Self.baseline(workspace.repository)
    if try isNoOp(workspace, base: base) { return }
    try gateChange(
      workspace, base: base, head: .index, tier: tier, prefix: "", subject: "what is staged",
      skipHint:
        "to commit anyway this once: PROMPTGATE_SKIP=1 git commit ..., or git commit --no-verify"
    )
  }

  /// Prints which behaviors changed from `base` to `head` (each line after `notes`, with `prefix`)
  /// and which `tier` sets are selected, gates them, and throws the exit the result calls for,
  /// with `skipHint` added. Silent when nothing relevant changed.
  static func gateChange(
    _ workspace: Workspace, base: Side, head: Side, tier: String, prefix: String,
    subject: String, notes: [String] = [], skipHint: String
  ) throws {
    let old = try workspace.state(of: base)
    let new = try workspace.state(of: head)
    guard old.mapping != nil || new.mapping != nil else { return }
    let changes = try ChangeDetector.compare(old, new)
    guard changes.hasChanges else { return }
    let selection = Selection(changes: changes, head: new.mapping, tier: tier)
    for note in notes { Output.error("promptgate: \(prefix)\(note)") }
    for change in changes.behaviors where change.isChange {
      let components = change.changed.map(\.rawValue).joined(separator: ", ")
      let detail = components.isEmpty ? "definition only" : components
      Output.error("promptgate: \(prefix)\(change.behavior) \(change.status.rawValue) (\(detail))")
    }
    if selection.evalSets.isEmpty {
      Output.error("promptgate: no \(tier) eval set protects \(subject)")
      return
    }
    for entry in selection.evalSets {
      let reasons = entry.reasons.prefix(3).map(\.description).joined(separator: "; ")
      Output.error("promptgate: \(prefix)selected \(entry.evalSet) (\(reasons))")
    }
    // The sides are resolved and compared once: the gate takes them as they are.
    let result = try GateRun(
      workspace: workspace, base: base, head: head, tier: tier, storePath: nil, refresh: false,
      maxCalls: nil, maxCost: nil
    ).run(old, new, changes: changes, selection: selection).result
    let text = GateRenderer.text(result)
    if !text.isEmpty {
      Output.error(text.split(separator: "\n").map { "promptgate: \($0)" }.joined(separator: "\n"))
    }
    do {
      try GateRun.finish(result, onUnavailable: new.mapping?.gate.hookOnUnavailable ?? .warn)
    } catch let exit as ExitWith {
      throw ExitWith(exit.status, (exit.message ?? "the gate failed") + "\n  " + skipHint)
    }
  }

  /// True when the no-op check succeeds reading git's files directly, without starting libgit2,
  /// whose global initialisation alone costs more here than the whole check. Anything it does
  /// not cover returns false, and the libgit2 path decides.
  static func isNoOpWithoutLibgit2() throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    guard
      let repository = Repository(plainDiscoveringFrom: FileManager.default.currentDirectoryPath),
      let base = try? repository.snapshot(
        ofReference: GitInvocation.isAmending() ? "HEAD^" : "HEAD"),
      (try? StagedQuickCheck.indexMatches(repository, tree: base, override: nil)) == true
    else { return false }
    if environment["PROMPTGATE_VERIFY_FAST_PATH"] == "1" {
      let workspace = try CommonOptions.workspace(repository: nil, config: nil)
      let side = try baseline(workspace.repository)
      let changes = try ChangeDetector.compare(
        try workspace.state(of: side), try workspace.state(of: .index))
      if changes.hasChanges {
        throw ExitWith(
          .unavailable, "the direct object reader found no change where libgit2 found one")
      }
    }
    return true
  }

  /// True when the fast path proves that nothing relevant is staged.
  ///
  /// With `PROMPTGATE_VERIFY_FAST_PATH=1` the full comparison runs too, and a disagreement is an
  /// error: the tests set it so that every hook they run checks the fast path against libgit2.
  static func isNoOp(_ workspace: Workspace, base: Side) throws -> Bool {
    guard case .revision(let name) = base,
      let commit = try? workspace.repository.resolveCommit(name),
      try StagedQuickCheck.indexMatches(
        workspace.repository, base: commit, override: workspace.override)
    else { return false }
    if ProcessInfo.processInfo.environment["PROMPTGATE_VERIFY_FAST_PATH"] == "1" {
      let changes = try ChangeDetector.compare(
        try workspace.state(of: base), try workspace.state(of: .index))
      if changes.hasChanges {
        throw ExitWith(.unavailable, "the fast index path found no change where libgit2 found one")
      }
    }
    return true
  }

  /// HEAD, or its parent when git is amending (HEAD is the commit being replaced).
  static func baseline(_ repository: Repository) throws -> Side {
    guard GitInvocation.isAmending(), try repository.headCommit() != nil else {
      return .revision("HEAD")
    }
    if (try? repository.resolveCommit("HEAD^")) != nil { return .revision("HEAD^") }
    return .empty
  }
}

extension HookCommand {
  /// One line of git's pre-push input: push `localSHA` (at `localRef`) to `remoteRef`, which is
  /// at `remoteSHA` on the remote; all zeros for a deletion or a ref the remote lacks.
  struct RefUpdate: Equatable {
    let localRef: String
    let localSHA: String
    let remoteRef: String
    let remoteSHA: String

    /// The lines git writes to the hook's stdin.
    static func parse(_ text: String) throws -> [RefUpdate] {
      try text.split(separator: "\n").compactMap { line in
        let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
        if fields.isEmpty { return nil }
        guard fields.count == 4 else {
          throw ExitWith(
            .usage,
            "pre-push: expected '<local ref> <local sha> <remote ref> <remote sha>', got '\(line)'")
        }
        return RefUpdate(
          localRef: fields[0], localSHA: fields[1], remoteRef: fields[2], remoteSHA: fields[3])
      }
    }

    /// True for git's all-zeros id.
    static func isZero(_ sha: String) -> Bool { !sha.isEmpty && sha.allSatisfy { $0 == "0" } }

    /// The remote ref without `refs/heads/`, as people name branches.
    var name: String {
      remoteRef.hasPrefix("refs/heads/") ? String(remoteRef.dropFirst(11)) : remoteRef
    }
  }

  static let prePushSkipHint =
    "to push anyway this once: PROMPTGATE_SKIP=1 git push ..., or git push --no-verify"

  /// Gates every ref git is about to push (see the command's discussion).
  static func prePush(remote: String?, tier: String, repository: String?, config: String?) throws {
    let environment = ProcessInfo.processInfo.environment
    if environment["PROMPTGATE_SKIP"] == "1" {
      Output.error("promptgate: pre-push skipped (PROMPTGATE_SKIP=1)")
      return
    }
    var remote = remote
    let updates: [RefUpdate]
    if environment["PRE_COMMIT"] == "1",
      let local = environment["PRE_COMMIT_TO_REF"] ?? environment["PRE_COMMIT_LOCAL_BRANCH"]
    {
      // The pre-commit framework reads git's input itself and passes one ref in variables.
      remote = environment["PRE_COMMIT_REMOTE_NAME"] ?? remote
      updates = [
        RefUpdate(
          localRef: environment["PRE_COMMIT_LOCAL_BRANCH"] ?? local, localSHA: local,
          remoteRef: environment["PRE_COMMIT_REMOTE_BRANCH"] ?? local,
          remoteSHA: environment["PRE_COMMIT_FROM_REF"] ?? String(repeating: "0", count: 40))
      ]
    } else {
      guard isatty(0) == 0 else {
        throw ExitWith(
          .usage,
          "pre-push reads the refs being pushed on stdin, as git gives them to the pre-push hook")
      }
      let input = FileHandle.standardInput.readDataToEndOfFile()
      updates = try RefUpdate.parse(String(decoding: input, as: UTF8.self))
    }
    guard updates.contains(where: { !RefUpdate.isZero($0.localSHA) }) else { return }
    let workspace = try CommonOptions.workspace(repository: repository, config: config)
    for update in updates where !RefUpdate.isZero(update.localSHA) {
      guard let head = try? workspace.repository.resolveCommit(update.localSHA) else {
        Output.error("promptgate: \(update.name): \(update.localSHA) is not a commit; not gated")
        continue
      }
      var notes: [String] = []
      let base = try prePushBase(
        update, head: head, remote: remote, repository: workspace.repository, notes: &notes)
      try gateChange(
        workspace, base: base, head: .revision(head.hex), tier: tier, prefix: "\(update.name): ",
        subject: "what is pushed to \(update.name)", notes: notes, skipHint: prePushSkipHint)
    }
  }

  /// What `update` is compared with: the remote's commit when this repository has it, else the
  /// merge-base with the remote's default branch, else nothing (every behavior is new).
  static func prePushBase(
    _ update: RefUpdate, head: ObjectID, remote: String?, repository: Repository,
    notes: inout [String]
  ) throws -> Side {
    if !RefUpdate.isZero(update.remoteSHA) {
      if let id = try? repository.resolveCommit(update.remoteSHA) { return .revision(id.hex) }
      let fetch = remote.map { "git fetch \($0)" } ?? "git fetch"
      notes.append(
        "the remote's \(update.remoteSHA.prefix(7)) is not in this repository (\(fetch) gets it); "
          + "gating as a new branch")
    }
    guard let (name, tip) = defaultBranch(remote: remote, repository: repository) else {
      notes.append(
        "no default branch of \(remote ?? "the remote") is known (\(remote ?? "REMOTE")/HEAD, "
          + "main or master): every behavior counts as changed")
      return .empty
    }
    do {
      let base = try repository.mergeBase(head, tip)
      notes.append("new on the remote: gated against its merge-base with \(name), \(base.short)")
      return .revision(base.hex)
    } catch let error as GitError where error.kind == .notFound {
      notes.append("no common ancestor with \(name): every behavior counts as changed")
      return .empty
    }
  }

  /// The remote's default branch, as a display name and its commit: `REMOTE/HEAD`, else
  /// `REMOTE/main`, else `REMOTE/master`.
  static func defaultBranch(remote: String?, repository: Repository) -> (String, ObjectID)? {
    guard let remote, !remote.isEmpty else { return nil }
    for branch in ["HEAD", "main", "master"] {
      if let id = try? repository.resolveCommit("refs/remotes/\(remote)/\(branch)") {
        return ("\(remote)/\(branch)", id)
      }
    }
    return nil
  }
}
