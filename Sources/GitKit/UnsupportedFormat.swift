import Foundation

/// Repository and index formats that libgit2 1.5 cannot read, recognised from its messages so
/// that users get a clear explanation and a fix instead of libgit2's terse words.
enum UnsupportedFormat {
  /// `error` with a clear message when it comes from a format libgit2 1.5 does not support.
  static func explain(_ error: GitError, indexFile: String? = nil) -> GitError {
    let message = error.message.lowercased()
    func unsupported(_ text: String) -> GitError {
      GitError(.unsupportedRepository, text, function: error.function)
    }
    if error.kind == .untrustedOwner {
      return GitError(
        .untrustedOwner,
        "\(error.message)\n  fix: if you trust it, run `git config --global --add safe.directory <that path>`",
        function: error.function)
    }
    if message.contains("extensions.objectformat") {
      return unsupported(
        "this repository uses SHA-256 object ids (extensions.objectFormat), which libgit2 1.5 cannot read; "
          + "PromptGate needs a SHA-1 repository")
    }
    if message.contains("extensions.partialclone") {
      return unsupported(
        "this is a partial clone (extensions.partialClone), which libgit2 1.5 cannot read\n"
          + "  fix: clone without --filter (actions/checkout: leave `filter` unset)")
    }
    if message.contains("extensions.worktreeconfig") {
      return unsupported(
        "extensions.worktreeConfig is set, which libgit2 1.5 cannot read\n"
          + "  fix: move per-worktree settings into .git/config, then `git config --unset extensions.worktreeConfig`"
      )
    }
    if message.contains("extension: 'link'") {
      return unsupported(
        "the index is split (core.splitIndex), which libgit2 1.5 cannot read\n"
          + "  fix: git update-index --no-split-index (and git config core.splitIndex false)")
    }
    if message.contains("extension: 'sdir'") {
      return unsupported(
        "the index is sparse (index.sparse), which libgit2 1.5 cannot read\n"
          + "  fix: git sparse-checkout init --no-sparse-index")
    }
    if message.contains("checksum does not match"), let indexFile {
      if hasZeroTrailer(indexFile) {
        return unsupported(
          "the index was written with index.skipHash, which libgit2 1.5 cannot read\n"
            + "  fix: git config index.skipHash false && git update-index --force-write-index")
      }
      return GitError(
        .other,
        "the index \(indexFile) is corrupt (\(error.message))\n  fix: rm the index file and run `git reset`",
        function: error.function)
    }
    if message.contains("unsupported extension name")
      || message.contains("unsupported mandatory extension")
    {
      return unsupported("\(error.message): libgit2 1.5 cannot read this repository")
    }
    return error
  }

  /// True when the index file's trailing checksum is all zeros, as `index.skipHash` writes it.
  static func hasZeroTrailer(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    guard let size = try? handle.seekToEnd(), size >= 32 else { return false }
    try? handle.seek(toOffset: size - 20)
    guard let trailer = try? handle.readToEnd() else { return false }
    return trailer.count == 20 && trailer.allSatisfy { $0 == 0 }
  }
}
