import Foundation
import TestSupport
import Testing

/// Dotprompt (`.prompt`) and Prompty (`.prompty`) files that carry their own model settings in
/// YAML front matter: pointers into it, diffs of it, rollback into it, and `hash: body`.
@Suite("prompt files with front matter")
struct PromptFileCommandTests {
  static let prompty = """
    ---
    name: Support
    model:
      api: chat
      configuration:
        type: openai
        name: gpt-4o-mini
      parameters:
        temperature: 0.2   # keep answers steady
        max_tokens: 512
    ---
    system:
    You are a support agent. Answer {{question}} politely.

    """

  static let dotprompt = """
    ---
    model: googleai/gemini-1.5-flash
    config:
      temperature: 0.9
      maxOutputTokens: 256
    ---
    Write a haiku about {{topic}}.

    """

  static let mapping = """
    behaviors:
      support:
        prompt: [prompts/support/*.prompty]
        model: prompts/support/chat.prompty#/model/configuration/name
        decoding:
          temperature: prompts/support/chat.prompty#/model/parameters/temperature
          maxOutputTokens: prompts/support/chat.prompty#/model/parameters/max_tokens
      poet:
        prompt: {files: [prompts/poet/*.prompt], hash: body}
        model: prompts/poet/haiku.prompt#/model
        decoding:
          temperature: prompts/poet/haiku.prompt#/config/temperature
          maxOutputTokens: prompts/poet/haiku.prompt#/config/maxOutputTokens

    """

  static func repository(mapping: String = mapping) throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", mapping)
    try repository.write("prompts/support/chat.prompty", prompty)
    try repository.write("prompts/poet/haiku.prompt", dotprompt)
    try repository.commit("Prompts with their settings")
    return repository
  }

  static func versions(_ repository: TemporaryRepository, _ arguments: [String] = [])
    throws -> [String: [String: Any]]
  {
    let result = try repository.run("promptgate-version", arguments + ["--format", "json"])
    result.expect(exit: 0)
    var byName: [String: [String: Any]] = [:]
    for entry in try JSONOutput.objects(result.stdout) {
      byName[entry["behavior"] as? String ?? "?"] = entry
    }
    return byName
  }

  @Test("pointers read the model and decoding from Prompty and Dotprompt front matter")
  func pointersReadFrontMatter() throws {
    let repository = try Self.repository()
    let versions = try Self.versions(repository)
    let support = try #require(versions["support"])
    #expect(support["model"] as? String == "gpt-4o-mini")
    let decoding = try #require(support["decoding"] as? [String: Any])
    #expect(decoding["temperature"] as? Double == 0.2)
    #expect(decoding["maxOutputTokens"] as? Int == 512)
    let poet = try #require(versions["poet"])
    #expect(poet["model"] as? String == "googleai/gemini-1.5-flash")
    let poetDecoding = try #require(poet["decoding"] as? [String: Any])
    #expect(poetDecoding["temperature"] as? Double == 0.9)
    #expect(poetDecoding["maxOutputTokens"] as? Int == 256)
  }

  @Test("diff shows the changed front-matter values under the pointers and under the file")
  func diffShowsFrontMatterValues() throws {
    let repository = try Self.repository()
    try repository.edit(
      "prompts/support/chat.prompty", replacing: "temperature: 0.2", with: "temperature: 0.5")
    try repository.commit("Warmer support answers")
    let result = try repository.run("promptgate-diff", ["HEAD~1", "HEAD"])
    result.expect(exit: 0)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains("  decoding.temperature: 0.2 -> 0.5"), "\(result)")
    let modified = try #require(
      lines.firstIndex { $0.hasSuffix("modified  prompts/support/chat.prompty") }, "\(result)")
    #expect(lines[modified + 1] == "      /model/parameters/temperature: 0.2 -> 0.5", "\(result)")
  }

  @Test("whole files hash by default; `hash: body` ignores front-matter edits, not text edits")
  func bodyHashing() throws {
    let repository = try Self.repository()
    let before = try Self.versions(repository)
    try repository.edit(
      "prompts/support/chat.prompty", replacing: "name: Support", with: "name: Helpdesk")
    try repository.edit(
      "prompts/poet/haiku.prompt", replacing: "model: googleai", with: "model: vertexai")
    let frontMatterOnly = try Self.versions(repository, ["--worktree"])
    // The default hashes the whole file: a front-matter edit is a prompt change.
    #expect(
      frontMatterOnly["support"]?["promptSha"] as? String != before["support"]?["promptSha"]
        as? String)
    // `hash: body`: the prompt is unchanged; the model changed, through its own pointer.
    #expect(
      frontMatterOnly["poet"]?["promptSha"] as? String == before["poet"]?["promptSha"] as? String)
    #expect(frontMatterOnly["poet"]?["model"] as? String == "vertexai/gemini-1.5-flash")
    try repository.edit("prompts/poet/haiku.prompt", replacing: "a haiku", with: "a limerick")
    let textEdit = try Self.versions(repository, ["--worktree"])
    #expect(textEdit["poet"]?["promptSha"] as? String != before["poet"]?["promptSha"] as? String)
  }

  @Test("rollback writes a front-matter value back in place and keeps every other byte")
  func rollbackSplicesFrontMatter() throws {
    // With `hash: body`, a front-matter edit leaves the prompt as it is: only the value that
    // changed is written back, into the file as it is now.
    let repository = try Self.repository(
      mapping: Self.mapping.replacingOccurrences(
        of: "prompt: [prompts/support/*.prompty]",
        with: "prompt: {files: [prompts/support/*.prompty], hash: body}"))
    let target = try #require(Self.versions(repository)["support"]?["id"] as? String)
    let edited = Self.prompty.replacingOccurrences(of: "max_tokens: 512", with: "max_tokens: 2048")
      .replacingOccurrences(of: "name: Support", with: "name: Support  # renamed later")
    try repository.write("prompts/support/chat.prompty", edited)
    try repository.commit("Longer answers")
    let result = try repository.run("promptgate-rollback", ["support", "--to", "HEAD~1"])
    result.expect(exit: 0)
    #expect(
      result.stdout.contains("proof: the working tree's support is now \(target)"), "\(result)")
    #expect(
      try repository.read("prompts/support/chat.prompty")
        == edited.replacingOccurrences(of: "max_tokens: 2048", with: "max_tokens: 512"))
  }

  @Test("bad front matter names the file, the line and the fix")
  func badFrontMatter() throws {
    let cases: [(text: String, location: String, message: String, fix: String)] = [
      (
        "---\nmodel: gpt-4o\nYou are a support agent.\n", "prompts/support/chat.prompty:1:",
        "the front matter opened by '---' on line 1 is never closed",
        "end the settings with a line '---' before the prompt text"
      ),
      (
        "---\n- gpt-4o\n- 0.2\n---\nYou are a support agent.\n", "prompts/support/chat.prompty:2:",
        "the front matter is a list, not a mapping of settings",
        "write the settings as 'key: value' lines between the two '---' lines"
      ),
      (
        "You are a support agent.\n", "prompts/support/chat.prompty:1:", "has no front matter",
        "start the file with its settings between two '---' lines"
      ),
      (
        "---\nmodel:\n  parameters: {temperature: [0.2}\n---\nHi.\n",
        "prompts/support/chat.prompty:3:33:", "invalid YAML: did not find expected ',' or ']'", ""
      ),
    ]
    for bad in cases {
      let repository = try Self.repository()
      try repository.write("prompts/support/chat.prompty", bad.text)
      let result = try repository.run("promptgate-version", ["--worktree"])
      result.expect(exit: 2)
      #expect(result.stderr.contains(bad.location), "\(result)")
      #expect(result.stderr.contains(bad.message), "\(result)")
      if !bad.fix.isEmpty { #expect(result.stderr.contains("fix: " + bad.fix), "\(result)") }
    }
  }

  @Test("a pointer to a missing front-matter key: check-config names the file and the keys")
  func missingPointer() throws {
    let repository = try Self.repository(
      mapping: Self.mapping.replacingOccurrences(
        of: "#/model/parameters/max_tokens", with: "#/model/parameters/max_token"))
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 2)
    #expect(result.stderr.contains("promptgate.yaml:7:"), "\(result)")
    #expect(result.stderr.contains("prompts/support/chat.prompty"), "\(result)")
    #expect(result.stderr.contains("did you mean 'max_tokens'?"), "\(result)")
  }

  @Test("`hash` is checked: only `file` or `body`, and only with `files`")
  func hashKeyChecked() throws {
    let wrongValue = try Self.repository(
      mapping: Self.mapping.replacingOccurrences(of: "hash: body", with: "hash: text"))
    let value = try wrongValue.run("promptgate-check-config")
    value.expect(exit: 2)
    #expect(value.stderr.contains("promptgate.yaml:9:52:"), "\(value)")
    #expect(value.stderr.contains("hash must be `file` or `body`"), "\(value)")
    let wrongForm = try Self.repository(
      mapping: Self.mapping.replacingOccurrences(
        of: "model: prompts/poet/haiku.prompt#/model",
        with: "model: {file: prompts/poet/haiku.prompt, pointer: /model, hash: body}"))
    let form = try wrongForm.run("promptgate-check-config")
    form.expect(exit: 2)
    #expect(form.stderr.contains("`hash` belongs with `files`"), "\(form)")
  }

  @Test("init points the model and decoding at the front matter of a family's prompt file")
  func initUsesFrontMatter() throws {
    let repository = try TemporaryRepository()
    try repository.write("prompts/support/chat.prompty", Self.prompty)
    try repository.write("prompts/poet/haiku.prompt", Self.dotprompt)
    // A shared config file's settings lose to the prompt files' own.
    try repository.write("config/llm.yaml", "model: gpt-3.5-turbo\ntemperature: 1.0\n")
    try repository.commit("Prompts with their settings")
    let dry = try repository.run("promptgate-init", ["--dry-run"])
    dry.expect(exit: 0)
    #expect(dry.stdout.contains("model: prompts/support/chat.prompty#/model/configuration/name"))
    #expect(
      dry.stdout.contains(
        "maxOutputTokens: prompts/support/chat.prompty#/model/parameters/max_tokens"))
    #expect(dry.stdout.contains("temperature: prompts/poet/haiku.prompt#/config/temperature"))
    #expect(dry.stdout.contains("in the front matter of prompts/poet/haiku.prompt"), "\(dry)")
    try repository.run("promptgate-init").expect(exit: 0)
    let check = try repository.run("promptgate-check-config")
    check.expect(exit: 0)
    let versions = try Self.versions(repository, ["--worktree"])
    #expect(versions["support"]?["model"] as? String == "gpt-4o-mini")
    #expect((versions["support"]?["decoding"] as? [String: Any])?["maxOutputTokens"] as? Int == 512)
    #expect(versions["poet"]?["model"] as? String == "googleai/gemini-1.5-flash")
    #expect((versions["poet"]?["decoding"] as? [String: Any])?["temperature"] as? Double == 0.9)
  }
}
