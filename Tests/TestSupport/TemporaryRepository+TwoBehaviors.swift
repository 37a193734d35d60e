extension TemporaryRepository {
  /// Two behaviors over four commits, one of which changes nothing they read: `agent` (a
  /// prompt glob and a model read by pointer) and `writer` (a deep glob), for history tests.
  public static func twoBehaviorHistory() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  agent: {prompt: [prompts/*.md], model: config.yaml#/model}\n"
        + "  writer: {prompt: [writer/**/*.md]}\n")
    try repository.write("prompts/system.md", "One.\n")
    try repository.write("config.yaml", "model: m1\n")
    try repository.write("writer/deep/er/a.md", "Write.\n")
    try repository.commit("Start")
    try repository.write("README.md", "Docs.\n")
    try repository.commit("Docs")
    try repository.write("prompts/system.md", "Two.\n")
    try repository.commit("Agent prompt")
    try repository.write("writer/deep/er/b.md", "More.\n")
    try repository.commit("Writer prompt")
    return repository
  }
}
