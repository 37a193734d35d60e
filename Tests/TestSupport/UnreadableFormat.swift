import Foundation

/// Repository and index formats that git writes but libgit2 1.5 cannot read, each made for real
/// with the git CLI (or, for `index.skipHash`, which git 2.39 cannot write, forged byte by byte).
public enum UnreadableFormat: String, CaseIterable, Sendable, CustomStringConvertible {
  /// SHA-256 object ids (`git init --object-format=sha256`).
  case sha256
  /// A partial clone (`extensions.partialClone` in a version 1 repository).
  case partialClone
  /// `extensions.worktreeConfig` in a version 1 repository.
  case worktreeConfig
  /// `extensions.worktreeConfig` as `git config extensions.worktreeConfig true` leaves it: in a
  /// version 0 repository, where git still reads `config.worktree` and libgit2 1.5 does not.
  case worktreeConfigVersion0
  /// An index whose trailing checksum is all zeros, as `index.skipHash` writes it.
  case skipHash
  /// A split index (`git update-index --split-index`).
  case splitIndex
  /// A sparse index (`git sparse-checkout init --cone --sparse-index`).
  case sparseIndex

  public var description: String { rawValue }

  /// The formats PromptGate refuses. An `index.skipHash` index differs only in its trailer, which
  /// PromptGate's own index reader never needed, so it is read, not refused.
  public static var refused: [UnreadableFormat] { allCases.filter { $0 != .skipHash } }

  /// True when the repository opens and only reading its index (`--staged`, `--worktree`, the
  /// hook) must fail.
  public var isIndexFormat: Bool {
    switch self {
    case .skipHash, .splitIndex, .sparseIndex: return true
    case .sha256, .partialClone, .worktreeConfig, .worktreeConfigVersion0: return false
    }
  }

  /// Words that a clear message about this format contains (compared case-insensitively).
  public var messageWords: [String] {
    switch self {
    case .sha256: return ["SHA-256"]
    case .partialClone: return ["partial clone", "fix:"]
    case .worktreeConfig, .worktreeConfigVersion0: return ["extensions.worktreeConfig", "fix:"]
    case .skipHash: return ["index.skipHash", "fix:"]
    case .splitIndex: return ["split", "fix:"]
    case .sparseIndex: return ["sparse", "fix:"]
    }
  }

  /// True when `message` names this format with every word of ``messageWords``.
  public func isExplained(by message: String) -> Bool {
    messageWords.allSatisfy { message.lowercased().contains($0.lowercased()) }
  }

  /// The mapping every format's repository commits: one behavior with one prompt file.
  public static let mapping = "behaviors:\n  agent: {prompt: [prompts/*.md], model: {value: m1}}\n"

  /// A repository with ``mapping``, a prompt and a file outside the sparse cone, committed, then
  /// put in this format.
  public func repository() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    if self == .sha256 {
      try FileManager.default.removeItem(atPath: repository.absolute(".git"))
      try repository.git("init", "-q", "-b", "main", "--object-format=sha256")
    }
    try repository.write("promptgate.yaml", Self.mapping)
    try repository.write("prompts/system.md", "You are helpful.\n")
    try repository.write("other/deep/notes.txt", "outside the sparse cone\n")
    try repository.commit("Agent")
    switch self {
    case .sha256:
      break
    case .partialClone:
      try repository.git("config", "core.repositoryformatversion", "1")
      try repository.git("config", "extensions.partialclone", "origin")
    case .worktreeConfig:
      try repository.git("config", "core.repositoryformatversion", "1")
      try repository.git("config", "extensions.worktreeConfig", "true")
    case .worktreeConfigVersion0:
      try repository.git("config", "extensions.worktreeConfig", "true")
      try repository.git("config", "--worktree", "core.hooksPath", "worktree-hooks")
    case .skipHash:
      // Only the trailer changes; no git command may run afterwards, as it would rewrite it.
      var bytes = try repository.readBytes(".git/index")
      bytes.replaceSubrange((bytes.count - 20)..., with: [UInt8](repeating: 0, count: 20))
      try repository.write(".git/index", bytes: bytes)
    case .splitIndex:
      try repository.git("update-index", "--split-index")
    case .sparseIndex:
      try repository.git("sparse-checkout", "init", "--cone", "--sparse-index")
      // git keeps the sparse settings in config.worktree behind extensions.worktreeConfig; they
      // move to .git/config so that the index, not the configuration, is what libgit2 meets.
      let settings = try repository.git("config", "--file", ".git/config.worktree", "--list")
      for line in settings.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { continue }
        try repository.git("config", parts[0], parts[1])
      }
      try repository.git("config", "--unset", "extensions.worktreeConfig")
      try repository.remove(".git/config.worktree")
    }
    return repository
  }
}
