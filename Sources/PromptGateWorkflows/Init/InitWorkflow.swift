import Foundation
import GitKit
import PromptGateCore

/// `promptgate init`: scans a repository's working tree and writes a starter mapping, never over
/// an existing one.
public enum InitWorkflow {
  /// What to do.
  public struct Input: Sendable {
    /// A directory in the repository (nil: the current one).
    public var repository: String?
    /// Where to write the mapping, relative to the repository root (nil: promptgate.yaml).
    public var output: String?
    /// True to print the mapping and write nothing.
    public var dryRun: Bool

    /// Creates an input.
    public init(repository: String?, output: String?, dryRun: Bool) {
      self.repository = repository
      self.output = output
      self.dryRun = dryRun
    }
  }

  /// What happened.
  public struct Outcome: Sendable {
    /// The mapping.
    public let mapping: StarterMapping
    /// Where it was written, or would be.
    public let path: String
    /// The same, relative to the repository root.
    public let relativePath: String
    /// True when it was written.
    public let written: Bool
    /// True when a file is already at ``path`` (the dry run wrote nothing either way).
    public let exists: Bool
  }

  /// Scans and writes (or, with `dryRun`, only builds) the starter mapping. Throws a usage
  /// error when a mapping is already there: it is never overwritten.
  public static func run(_ input: Input) throws -> Outcome {
    let repository =
      try input.repository.map { try Repository(discoveringFrom: $0) } ?? Repository()
    guard let root = repository.workdir else {
      throw PromptGateError(
        .usage, "a bare repository has no working tree to scan; run init in a clone")
    }
    let relative = input.output ?? MappingParser.fileName
    let path = relative.hasPrefix("/") ? relative : root + "/" + relative
    let exists = FileManager.default.fileExists(atPath: path)
    if exists, !input.dryRun {
      throw PromptGateError(
        .usage,
        "\(relative) already exists and init never overwrites it; compare with `promptgate init --dry-run`, or move it away first"
      )
    }
    let mapping = StarterMapping(try RepositoryScan.scan(try repository.workTreeSnapshot()))
    // The starter must be a mapping the parser takes; anything else is a bug here, not the user's.
    do {
      _ = try MappingParser.parse(mapping.text, file: relative)
    } catch {
      throw PromptGateError(
        .environment, "init built a mapping that does not parse (a bug):\n\(error)\n\(mapping.text)"
      )
    }
    guard !input.dryRun else {
      return Outcome(
        mapping: mapping, path: path, relativePath: relative, written: false, exists: exists)
    }
    try write(mapping.text, to: path, label: relative)
    return Outcome(
      mapping: mapping, path: path, relativePath: relative, written: true, exists: false)
  }

  /// Creates `path` with `text`; fails, writing nothing, when something is already there, even
  /// if it appeared since the check above.
  static func write(_ text: String, to path: String, label: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      if errno == EEXIST {
        throw PromptGateError(.usage, "\(label) already exists and init never overwrites it")
      }
      throw PromptGateError(.environment, "cannot create \(label): \(reason)")
    }
    defer { close(descriptor) }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      guard written > 0 else {
        if written < 0, errno == EINTR { continue }
        throw PromptGateError(
          .environment, "cannot write \(label): \(String(cString: strerror(errno)))")
      }
      bytes = bytes.dropFirst(written)
    }
  }
}
