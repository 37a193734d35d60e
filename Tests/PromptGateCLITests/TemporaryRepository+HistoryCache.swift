import Foundation
import TestSupport
import Testing

/// Running the history commands with and without the history cache, which must not change what
/// they print.
extension TemporaryRepository {
  /// Runs `name ARGUMENTS --no-cache`, then `name ARGUMENTS` twice with the history cache (the
  /// repository's own, which earlier calls may have filled: the first run extends it, the
  /// second reads it), and expects the same exit code, stdout and stderr from all three;
  /// returns the uncached run. Runs in `directory` (a clone, a bare repository) when given.
  @discardableResult
  func runComparingHistoryCache(
    _ name: String, _ arguments: [String] = [], in directory: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> CommandResult {
    let uncached = try run(name, arguments + ["--no-cache"], in: directory ?? path)
    for pass in ["writing", "reading"] {
      let cached = try run(name, arguments, in: directory ?? path)
      let command = "\(name) \(arguments.joined(separator: " "))"
      #expect(
        cached.exitCode == uncached.exitCode && cached.stdout == uncached.stdout
          && cached.stderr == uncached.stderr,
        "\(command) \(pass) the history cache printed\n\(cached)\nand without it\n\(uncached)",
        sourceLocation: sourceLocation)
    }
    return uncached
  }

  /// The history cache files of the repository's default store.
  func historyCacheFiles() throws -> [String] {
    let folder = absolute(".git/promptgate/store/history")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".cache") }.sorted().map { folder + "/" + $0 }
  }
}
