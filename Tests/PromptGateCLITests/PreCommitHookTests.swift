import Foundation
import TestSupport
import Testing

/// The native hook inside real `git commit` runs: what it reports, and that it changes nothing.
@Suite("pre-commit hook")
struct PreCommitHookTests {
  /// The example repository with the package's own hooks/pre-commit installed.
  private func repository() throws -> TemporaryRepository {
    let repository = try ExampleProject.repository()
    try installPackageHook(in: repository)
    return repository
  }

  /// Copies the package's hooks/pre-commit, as it is committed, into `repository`'s hooks.
  private func installPackageHook(in repository: TemporaryRepository) throws {
    let hook = repository.absolute(".git/hooks/pre-commit")
    try FileManager.default.createDirectory(
      atPath: repository.absolute(".git/hooks"), withIntermediateDirectories: true)
    try? FileManager.default.removeItem(atPath: hook)
    try FileManager.default.copyItem(atPath: PackageFiles.path("hooks/pre-commit"), toPath: hook)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
  }

  private func commitCount(_ repository: TemporaryRepository) throws -> Int {
    Int(
      try repository.git("rev-list", "--count", "HEAD").trimmingCharacters(
        in: .whitespacesAndNewlines)) ?? 0
  }

  private func editModel(_ repository: TemporaryRepository) throws {
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
  }

  @Test("git commit: a staged prompt change names the behavior and the selected fast set")
  func stagedCommit() throws {
    let repository = try repository()
    try repository.write("prompts/support/system.md", "A new system prompt.\n")
    try repository.git("add", "-A")
    let result = try repository.runProgram("git", ["commit", "-q", "-m", "New prompt"])
    result.expect(exit: 0)
    #expect(result.stderr.contains("promptgate: support-agent changed (prompt)"))
    #expect(result.stderr.contains("promptgate: selected support-smoke"))
    #expect(!result.stderr.contains("support-release"))
    #expect(try commitCount(repository) == 2)
  }

  @Test("git commit -a: the unstaged edit that -a commits is seen (GIT_INDEX_FILE is honoured)")
  func commitAll() throws {
    let repository = try repository()
    try editModel(repository)
    let result = try repository.runProgram("git", ["commit", "-q", "-a", "-m", "Move to gpt-4o"])
    result.expect(exit: 0)
    #expect(result.stderr.contains("promptgate: support-agent changed (model)"))
    #expect(result.stderr.contains("promptgate: selected support-smoke"))
    #expect(try commitCount(repository) == 2)
  }

  @Test("git commit -- PATH: only PATH's change is reported")
  func commitPaths() throws {
    let repository = try repository()
    try editModel(repository)
    try repository.git("add", "config/llm.yaml")
    try repository.write("prompts/support/system.md", "Only this is committed.\n")
    let result = try repository.runProgram(
      "git", ["commit", "-q", "-m", "Prompt only", "--", "prompts/support/system.md"])
    result.expect(exit: 0)
    #expect(result.stderr.contains("promptgate: support-agent changed (prompt)"))
    #expect(!result.stderr.contains("model"))
    // git kept the model change staged for later.
    #expect(try repository.git("diff", "--cached", "--name-only") == "config/llm.yaml\n")
  }

  @Test("a commit that touches no component prints nothing from the hook")
  func irrelevantCommit() throws {
    let repository = try repository()
    try repository.write("README.md", "Better docs.\n")
    try repository.write("config/llm.yaml", try repository.read("config/llm.yaml") + "# tidy\n")
    try repository.git("add", "-A")
    let result = try repository.runProgram("git", ["commit", "-q", "-m", "Docs"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    #expect(try commitCount(repository) == 2)
  }

  @Test("PROMPTGATE_SKIP=1 prints one line saying so")
  func skip() throws {
    let repository = try repository()
    try repository.write("prompts/support/system.md", "Skipped check.\n")
    try repository.git("add", "-A")
    let result = try repository.runProgram(
      "git", ["commit", "-q", "-m", "Skip"], environment: ["PROMPTGATE_SKIP": "1"])
    result.expect(exit: 0)
    #expect(result.stderr == "promptgate: pre-commit skipped (PROMPTGATE_SKIP=1)\n")
    #expect(try commitCount(repository) == 2)
  }

  @Test("git commit --amend compares with the parent of the commit being replaced")
  func amend() throws {
    let repository = try repository()
    try repository.write("prompts/support/system.md", "First try.\n")
    try repository.git("add", "-A")
    try repository.runProgram("git", ["commit", "-q", "-m", "Prompt"]).expect(exit: 0)
    try repository.write("README.md", "Docs too.\n")
    try repository.git("add", "-A")
    let result = try repository.runProgram("git", ["commit", "-q", "--amend", "--no-edit"])
    result.expect(exit: 0)
    #expect(result.stderr.contains("promptgate: support-agent changed (prompt)"))
  }

  @Test("an invalid staged mapping fails the commit with its location")
  func invalidMapping() throws {
    let repository = try repository()
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(of: "tier: fast", with: "teir: fast"))
    try repository.git("add", "-A")
    let result = try repository.runProgram("git", ["commit", "-q", "-m", "Typo"])
    #expect(result.exitCode != 0)
    #expect(result.stderr.contains("promptgate.yaml:13:5: error: "))
    #expect(try commitCount(repository) == 1)
  }

  @Test("without promptgate-hook to run, the hook fails and says how to proceed")
  func missingExecutable() throws {
    let repository = try repository()
    try repository.write("prompts/support/system.md", "Changed.\n")
    try repository.git("add", "-A")
    let result = try repository.runProgram(
      "git", ["commit", "-q", "-m", "No hook binary"],
      environment: ["PROMPTGATE_BIN_DIR": repository.home])
    #expect(result.exitCode != 0)
    #expect(result.stderr.contains("PROMPTGATE_SKIP=1"))
    #expect(try commitCount(repository) == 1)
  }

  /// Every file under the repository's root, `.git` included, with its bytes.
  private func everything(_ repository: TemporaryRepository) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let root = URL(fileURLWithPath: repository.path)
    let enumerator = try #require(
      FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isRegularFileKey], options: []))
    for case let url as URL in enumerator {
      guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else {
        continue
      }
      result[String(url.path.dropFirst(root.path.count + 1))] = try Data(contentsOf: url)
    }
    return result
  }

  @Test("the hook reads the index GIT_INDEX_FILE names and writes nothing")
  func readOnly() throws {
    let repository = try repository()
    let other = ".git/commit-index"
    try repository.git(["read-tree", "HEAD"], environment: ["GIT_INDEX_FILE": other])
    try editModel(repository)
    try repository.git(["add", "config/llm.yaml"], environment: ["GIT_INDEX_FILE": other])
    try repository.write("prompts/support/system.md", "Unstaged edit.\n")
    let status = try repository.git("--no-optional-locks", "status", "--porcelain")
    let before = try everything(repository)

    let result = try repository.runProgram(
      repository.absolute(".git/hooks/pre-commit"), [], environment: ["GIT_INDEX_FILE": other])
    result.expect(exit: 0)
    #expect(result.stderr.contains("promptgate: support-agent changed (model)"))
    #expect(!result.stderr.contains("changed (prompt"))

    let after = try everything(repository)
    #expect(after.keys.sorted() == before.keys.sorted())
    for (path, bytes) in before where after[path] != bytes {
      Issue.record("the hook changed \(path)")
    }
    #expect(try repository.git("--no-optional-locks", "status", "--porcelain") == status)
  }

  @Test("the hook is silent when no side has a mapping")
  func noMapping() throws {
    let repository = try TemporaryRepository()
    try repository.write("README.md", "hello\n")
    try repository.commit("No mapping")
    try installPackageHook(in: repository)
    try repository.write("README.md", "hello again\n")
    try repository.git("add", "-A")
    let result = try repository.runProgram("git", ["commit", "-q", "-m", "Edit"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
  }
}
