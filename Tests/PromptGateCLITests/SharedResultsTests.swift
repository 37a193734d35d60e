import Foundation
import TestSupport
import Testing

/// Results shared through the git remote: two clones of one bare remote, the real `git` CLI.
@Suite("Results shared through the git remote")
struct SharedResultsTests {
  /// The fixture's repository as the first clone of a bare remote, and a way to make more.
  struct Remote {
    let fixture: GateFixture
    let bare: String
    let head: String

    init(change: (GateFixture) throws -> Void) throws {
      fixture = try GateFixture()
      try change(fixture)
      head = try fixture.repository.commit("Change the prompt")
      bare = fixture.repository.container + "/remote.git"
      try fixture.repository.runProgram("git", ["init", "-q", "--bare", bare])
      try fixture.repository.git("remote", "add", "origin", bare)
      try fixture.repository.git("push", "-q", "origin", "main")
    }

    /// A fresh clone of the remote, named `name`, with its own call log.
    func clone(_ name: String) throws -> (path: String, log: String) {
      let path = fixture.repository.container + "/" + name
      try fixture.repository.runProgram("git", ["clone", "-q", bare, path])
      return (path, fixture.repository.container + "/\(name).log")
    }

    /// Runs a promptgate executable in `directory`, its harness logging to `log`.
    func run(
      _ name: String, _ arguments: [String], in directory: String, log: String,
      environment extra: [String: String] = [:]
    ) throws -> CommandResult {
      try Executable.run(
        name, arguments, in: directory,
        environment: fixture.repository.environment.merging(["GATE_LOG": log]) { $1 }
          .merging(extra) { $1 })
    }

    /// The entries on the remote's ref.
    func entries() throws -> [String] {
      try fixture.repository.runProgram(
        "git", ["-C", bare, "ls-tree", "-r", "--name-only", "refs/promptgate/results"]
      ).stdout.split(separator: "\n").map(String.init)
    }
  }

  static func lines(_ path: String) -> Int {
    (FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "")
      .split(separator: "\n").count
  }

  @Test(
    "a fresh clone that fetches gates the same change with no provider call and the same verdict")
  func freshCloneReusesResults() throws {
    let remote = try Remote { try $0.breakRefund() }
    let range = "\(remote.fixture.baseline)..\(remote.head)"
    let first = try remote.run(
      "promptgate-gate", [range, "--format", "json"], in: remote.fixture.repository.path,
      log: remote.fixture.log)
    first.expect(exit: 1)
    let made = Self.lines(remote.fixture.log)
    #expect(made > 0)
    let push = try remote.run(
      "promptgate-store", ["push"], in: remote.fixture.repository.path, log: remote.fixture.log)
    push.expect(exit: 0)
    #expect(push.stdout.contains("pushed \(made) results"), "\(push)")
    #expect(try remote.entries().filter { $0.hasPrefix("results/") }.count == made)
    // Pushed outside refs/heads: an ordinary clone's branches never show it.
    let clone = try remote.clone("second")
    try remote.fixture.repository.runProgram(
      "git", ["-C", clone.path, "fetch", "-q", "origin", remote.head])
    let fetch = try remote.run("promptgate-store", ["fetch"], in: clone.path, log: clone.log)
    fetch.expect(exit: 0)
    #expect(fetch.stdout.contains("\(made) entries new or changed"), "\(fetch)")
    let second = try remote.run(
      "promptgate-gate", [range, "--format", "json"], in: clone.path, log: clone.log)
    second.expect(exit: 1)
    #expect(Self.lines(clone.log) == 0, "\(second)")
    #expect(try JSONOutput.object(second.stdout)["calls"] as? Int == 0)
    // The entries stay in git's objects, apart from what the second clone writes.
    let store = clone.path + "/.git/promptgate/store"
    #expect(!FileManager.default.fileExists(atPath: store + "/shared/results"))
    #expect(!FileManager.default.fileExists(atPath: store + "/results"))
    let again = try remote.run("promptgate-store", ["fetch"], in: clone.path, log: clone.log)
    #expect(again.stdout.contains("0 entries new or changed"), "\(again)")
    // Pushing again adds nothing.
    let repush = try remote.run(
      "promptgate-store", ["push"], in: remote.fixture.repository.path, log: remote.fixture.log)
    #expect(repush.stdout.contains("has every result of this clone already"), "\(repush)")
  }

  /// A `pre-receive` hook that, on the first push only, moves the ref itself (adding
  /// `results/zz/zz-rival.json`), as another writer winning the race would.
  static let rival = """
    #!/bin/sh
    [ -e "$GIT_DIR/raced" ] && exit 0
    touch "$GIT_DIR/raced"
    unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
    blob=$(echo '{}' | git hash-object -w --stdin)
    parent=$(git rev-parse -q --verify refs/promptgate/results)
    export GIT_INDEX_FILE="$GIT_DIR/rival-index"
    if [ -n "$parent" ]; then git read-tree "$parent"; else git read-tree --empty; fi
    git update-index --add --cacheinfo 100644,"$blob",results/zz/zz-rival.json
    commit=$(git commit-tree $(git write-tree) ${parent:+-p "$parent"} -m rival)
    git update-ref refs/promptgate/results "$commit"
    exit 0

    """

  @Test(
    "a push that loses the race fetches, merges and retries: both writers' entries end up on the ref"
  )
  func racingPushes() throws {
    let remote = try Remote { try $0.breakRefund() }
    let range = "\(remote.fixture.baseline)..\(remote.head)"
    let hook = remote.bare + "/hooks/pre-receive"
    FileManager.default.createFile(atPath: hook, contents: Data(Self.rival.utf8))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
    let path = remote.fixture.repository.path
    try remote.run("promptgate-gate", [range], in: path, log: remote.fixture.log).expect(exit: 1)
    let push = try remote.run("promptgate-store", ["push"], in: path, log: remote.fixture.log)
    push.expect(exit: 0)
    #expect(push.stdout.contains("after 1 lost races"), "\(push)")
    let onRef = Set(try remote.entries())
    #expect(onRef.contains("results/zz/zz-rival.json"), "\(onRef)")
    let results = path + "/.git/promptgate/store/results"
    let written = (FileManager.default.enumerator(atPath: results)?.allObjects as? [String] ?? [])
      .filter { $0.hasSuffix(".json") }.map { "results/" + $0 }
    #expect(!written.isEmpty)
    #expect(Set(written).isSubset(of: onRef), "entries lost: \(Set(written).subtracting(onRef))")
    // The rival's entry is fetched too: readable from the fetched ref.
    let rival = try remote.fixture.repository.runProgram(
      "git", ["-C", path, "cat-file", "-e", "refs/promptgate/fetched:results/zz/zz-rival.json"])
    #expect(rival.exitCode == 0, "\(rival)")
  }

  @Test(
    "in a pull request's job, results stored before it (a restored CI cache) serve the baseline only"
  )
  func pullRequestCache() throws {
    let remote = try Remote { try $0.rewordShipping() }
    let path = remote.fixture.repository.path
    let sides = ["--base", remote.fixture.baseline, "--head", remote.head, "--format", "json"]
    let log = remote.fixture.repository.container + "/cache.log"
    // Both sides stored, as a pull request's own earlier workflow run could leave its cache.
    try remote.run("promptgate-gate", sides, in: path, log: log).expect(exit: 0)
    #expect(Self.lines(log) == 6)
    let event = ["GITHUB_EVENT_NAME": "pull_request"]
    let gate = try remote.run("promptgate-gate", sides, in: path, log: log, environment: event)
    gate.expect(exit: 0)
    // The head's three cases ran again in this job; the baseline's came from the store.
    #expect(Self.lines(log) == 9, "\(gate)")
    #expect(try JSONOutput.object(gate.stdout)["calls"] as? Int == 3)
    // Outside a pull request the same store serves both sides.
    try remote.run("promptgate-gate", sides, in: path, log: log).expect(exit: 0)
    #expect(Self.lines(log) == 9)
  }

  @Test(
    "in a pull request's job fetched results serve the baseline only, and store push is refused")
  func pullRequestTrust() throws {
    let remote = try Remote { try $0.rewordShipping() }
    let range = "\(remote.fixture.baseline)..\(remote.head)"
    try remote.run("promptgate-gate", [range], in: remote.fixture.repository.path, log: "/dev/null")
      .expect(exit: 0)
    try remote.run(
      "promptgate-store", ["push"], in: remote.fixture.repository.path, log: "/dev/null"
    )
    .expect(exit: 0)
    let clone = try remote.clone("pr")
    try remote.fixture.repository.runProgram(
      "git", ["-C", clone.path, "fetch", "-q", "origin", remote.head])
    try remote.run("promptgate-store", ["fetch"], in: clone.path, log: clone.log).expect(exit: 0)
    let event = ["GITHUB_EVENT_NAME": "pull_request"]
    let gate = try remote.run(
      "promptgate-gate",
      ["--base", remote.fixture.baseline, "--head", remote.head, "--format", "json"],
      in: clone.path, log: clone.log, environment: event)
    gate.expect(exit: 0)
    // The head's three cases ran in this job; the baseline's came from the remote.
    let calls = try String(contentsOfFile: clone.log, encoding: .utf8).split(separator: "\n")
    #expect(calls.count == 3, "\(calls)")
    let refused = try remote.run(
      "promptgate-store", ["push"], in: clone.path, log: clone.log, environment: event)
    refused.expect(exit: 2)
    #expect(refused.stderr.contains("refused under the GitHub event pull_request"), "\(refused)")
  }

  @Test(
    "store prune --shared keeps what the kept versions need, and a writer that synced before it does not add the rest back"
  )
  func pruneShared() throws {
    let remote = try Remote { try $0.rewordShipping() }
    let path = remote.fixture.repository.path
    let range = "\(remote.fixture.baseline)..\(remote.head)"
    try remote.run("promptgate-gate", [range], in: path, log: "/dev/null").expect(exit: 0)
    try remote.run("promptgate-store", ["push"], in: path, log: "/dev/null").expect(exit: 0)
    #expect(try remote.entries().count == 6)
    // A second writer synchronises now, before the prune.
    let other = try remote.clone("other")
    try remote.fixture.repository.runProgram(
      "git", ["-C", other.path, "fetch", "-q", "origin", remote.head])
    try remote.run("promptgate-gate", [range], in: other.path, log: other.log).expect(exit: 0)
    try remote.run("promptgate-store", ["push"], in: other.path, log: other.log).expect(exit: 0)
    // Only main's tip is kept: the baseline's three runs go.
    let dry = try remote.run(
      "promptgate-store", ["prune", "--shared", "--keep", "1", "--dry-run"], in: path,
      log: "/dev/null")
    dry.expect(exit: 0)
    #expect(dry.stderr.contains("would remove 3 shared results; kept 3"), "\(dry)")
    #expect(try remote.entries().count == 6)
    let pruned = try remote.run(
      "promptgate-store", ["prune", "--shared", "--keep", "1"], in: path, log: "/dev/null")
    pruned.expect(exit: 0)
    #expect(try remote.entries().count == 3)
    // A commit with no parent: the pruned blobs are unreachable on the remote.
    let parents = try remote.fixture.repository.runProgram(
      "git", ["-C", remote.bare, "rev-list", "--count", "refs/promptgate/results"])
    #expect(parents.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    // Neither the pruning clone nor the one that synchronised before puts them back.
    for clone in [path, other.path] {
      let again = try remote.run("promptgate-store", ["push"], in: clone, log: "/dev/null")
      again.expect(exit: 0)
      #expect(try remote.entries().count == 3, "\(clone): \(again)")
    }
  }

  @Test("a remote without shared results is no error; an unreachable one is exit 3")
  func emptyAndUnreachable() throws {
    let remote = try Remote { try $0.rewordShipping() }
    let path = remote.fixture.repository.path
    let empty = try remote.run("promptgate-store", ["fetch"], in: path, log: "/dev/null")
    empty.expect(exit: 0)
    #expect(empty.stdout.contains("has no shared results yet"))
    let missing = try remote.run(
      "promptgate-store", ["fetch", remote.fixture.repository.container + "/nothing.git"],
      in: path, log: "/dev/null")
    missing.expect(exit: 3)
    #expect(missing.stderr.contains("could not fetch refs/promptgate/results"), "\(missing)")
  }
}
