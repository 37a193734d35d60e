import PromptGateCore
import TestSupport
import Testing

/// How file-set components hash: relative paths, modes, symlinks and end-of-line conversion.
@Suite("File sets")
struct FileSetTests {
  @Test("two files with the same relative path from two patterns are an error")
  func relativePathCollision() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [a/*.md, b/*.md]}\n")
    try repository.write("a/x.md", "one\n")
    try repository.write("b/x.md", "two\n")
    let error = try #require(throws: Diagnostic.self) {
      try repository.workspace().state(of: .workTree)
    }
    #expect(error.message.contains("a/x.md"))
    #expect(error.message.contains("b/x.md"))
    #expect(error.fix != nil)
  }

  @Test("a symlink inside the repository hashes as its target's content under its own path")
  func symlinkInside() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        linked: {prompt: [prompts/*.md]}
        plain: {prompt: [copy/*.md]}
      """)
    try repository.write("shared/system.md", "You are helpful.\n")
    try repository.symlink("prompts/system.md", to: "../shared/system.md")
    try repository.write("copy/system.md", "You are helpful.\n")
    let linked = try repository.resolved("linked")
    #expect(linked.components[.prompt]?.files?.first?.path == "prompts/system.md")
    #expect(linked.components[.prompt]?.files?.first?.mode == "100644")
    let plain = try repository.version("plain")
    #expect(linked.version.promptSha == plain.promptSha)

    try repository.commit("Link a prompt")
    #expect(try repository.version("linked", at: .revision("HEAD")).promptSha == plain.promptSha)
    #expect(try repository.version("linked", at: .index).promptSha == plain.promptSha)

    try repository.write("shared/system.md", "You are very helpful.\n")
    #expect(try repository.version("linked").promptSha != plain.promptSha)
  }

  @Test(
    "a symlink that leaves the repository or dangles is an error",
    arguments: ["../../outside.md", "/nonexistent/outside.md", "../missing.md"])
  func symlinkOutside(target: String) throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try repository.write("prompts/system.md", "ok\n")
    try repository.symlink("prompts/escape.md", to: target)
    let error = try #require(throws: Diagnostic.self) {
      try repository.workspace().state(of: .workTree)
    }
    #expect(error.file.contains("prompts/escape.md"))
    #expect(error.message.contains(target))

    try repository.commit("Add a bad link")
    let committed = try #require(throws: Diagnostic.self) {
      try repository.workspace().state(of: .revision("HEAD"))
    }
    #expect(committed.file.contains("prompts/escape.md"))
  }

  @Test("with text=auto, a CRLF working tree agrees with the LF commit")
  func lineEndings() throws {
    let repository = try TemporaryRepository()
    try repository.write(".gitattributes", "* text=auto\n")
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try repository.write("prompts/system.md", "line one\nline two\n")
    try repository.commit("LF prompt")
    let committed = try repository.version("agent", at: .revision("HEAD"))
    try repository.write("prompts/system.md", "line one\r\nline two\r\n")
    #expect(try repository.version("agent", at: .workTree) == committed)
    try repository.git("add", "-A")
    #expect(try repository.version("agent", at: .index) == committed)

    // Without the attribute, git stores the CRLF bytes, and the hash differs.
    let plain = try TemporaryRepository()
    // The test process's own git configuration must not convert line endings either.
    try plain.git("config", "core.autocrlf", "false")
    try plain.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try plain.write("prompts/system.md", "line one\nline two\n")
    try plain.commit("LF prompt")
    #expect(try plain.version("agent", at: .revision("HEAD")) == committed)
    try plain.write("prompts/system.md", "line one\r\nline two\r\n")
    #expect(try plain.version("agent", at: .workTree).promptSha != committed.promptSha)
  }

  @Test("an unstaged .gitattributes edit applies to the working tree, as git add would apply it")
  func unstagedAttributes() throws {
    let repository = try TemporaryRepository()
    try repository.write(".gitattributes", "* text=auto\n")
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try repository.write("prompts/system.md", "line one\nline two\n")
    try repository.commit("LF prompt")
    try repository.write(".gitattributes", "")
    try repository.write("prompts/system.md", "line one\r\nline two\r\n")
    let worktree = try repository.version("agent", at: .workTree)
    try repository.git("add", "-A")
    #expect(worktree == (try repository.version("agent", at: .index)))
  }

  @Test("the file mode is part of the hash")
  func executableBit() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try repository.write("prompts/system.md", "hello\n")
    let before = try repository.resolved("agent")
    try repository.runProgram("chmod", ["+x", "prompts/system.md"])
    let after = try repository.resolved("agent")
    #expect(after.components[.prompt]?.files?.first?.mode == "100755")
    #expect(after.version.promptSha != before.version.promptSha)
  }

  @Test("JSON and YAML policy files hash canonically; prompts hash as bytes")
  func canonicalPolicyFiles() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        agent:
          prompt: [prompts/*.json]
          safetyPolicy: [policies/*.yaml]
      """)
    try repository.write("prompts/messages.json", #"{"role": "system", "content": "hi"}"#)
    try repository.write("policies/rules.yaml", "deny: [pii]\nallow: [faq]\n")
    let before = try repository.version("agent")
    try repository.write("prompts/messages.json", #"{"content":"hi","role":"system"}"#)
    try repository.write("policies/rules.yaml", "allow:\n  - faq\ndeny:\n  - pii\n")
    let after = try repository.version("agent")
    #expect(after.safetyPolicySha == before.safetyPolicySha)
    #expect(after.promptSha != before.promptSha)
  }

  @Test("a Git LFS file hashes as its object id, in a commit and in the working tree")
  func lfsPointer() throws {
    let repository = try TemporaryRepository()
    try repository.write(".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n")
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*]}\n")
    let content = "large prompt material\n"
    let oid = try Subprocess.sha256(content)
    let pointer =
      "version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\nsize \(content.utf8.count)\n"
    // Committed as git-lfs's clean filter would store it: the pointer.
    try repository.write("prompts/examples.bin", pointer)
    try repository.commit("LFS pointer")
    let committed = try repository.resolved("agent", at: .revision("HEAD"))
    #expect(committed.components[.prompt]?.files?.first?.digest == oid)
    // Checked out as git-lfs's smudge filter would leave it: the content.
    try repository.write("prompts/examples.bin", content)
    let worktree = try repository.resolved("agent", at: .workTree)
    #expect(worktree.components[.prompt]?.files?.first?.digest == oid)
    #expect(worktree.version == committed.version)
  }

  @Test("a submodule hashes as its commit id")
  func gitlink() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [vendor/**]}\n")
    let pinned = String(repeating: "ab", count: 20)
    try repository.git("update-index", "--add", "--cacheinfo", "160000,\(pinned),vendor/prompts")
    try repository.git("add", "promptgate.yaml")
    try repository.git("commit", "-q", "-m", "Pin prompts")
    let committed = try repository.resolved("agent", at: .revision("HEAD"))
    let file = try #require(committed.components[.prompt]?.files?.first)
    #expect(file.path == "vendor/prompts")
    #expect(file.mode == "160000")
    #expect(file.digest == pinned)
    #expect(try repository.version("agent", at: .index) == committed.version)
  }
}
