import Foundation

/// What a finished process wrote and how it exited.
public struct CommandResult: Sendable, CustomStringConvertible {
  /// Everything written to stdout, decoded as UTF-8.
  public let stdout: String
  /// Everything written to stderr, decoded as UTF-8.
  public let stderr: String
  /// The exit status (128 + the signal number when a signal ended it).
  public let exitCode: Int32

  public var description: String {
    "exit \(exitCode)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
  }
}

/// A process that could not be started, or a command that failed when success was required.
public struct CommandError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// Runs processes with an explicit environment, capturing stdout and stderr separately.
public enum Subprocess {
  /// Runs `executable` (an absolute path) with `arguments` in `directory`.
  ///
  /// Output goes to temporary files rather than pipes, so a child that fills one stream while the
  /// other is unread cannot deadlock, and no pipe end leaks into a concurrently started process.
  public static func run(
    _ executable: String, _ arguments: [String], in directory: String,
    environment: [String: String], stdin: String? = nil
  ) throws -> CommandResult {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("pg-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    let inURL = scratch.appendingPathComponent("stdin")
    try Data().write(to: outURL)
    try Data().write(to: errURL)
    try Data((stdin ?? "").utf8).write(to: inURL)
    let output = try FileHandle(forWritingTo: outURL)
    let errors = try FileHandle(forWritingTo: errURL)
    let input = try FileHandle(forReadingFrom: inURL)
    defer {
      try? output.close()
      try? errors.close()
      try? input.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = environment
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input
    do {
      try process.run()
    } catch {
      throw CommandError("cannot start \(executable): \(error)")
    }
    process.waitUntilExit()
    let status =
      process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
    return CommandResult(
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
      exitCode: status)
  }

  /// The absolute path of `name` on the test process's `PATH`.
  public static func which(_ name: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw CommandError("\(name) is not on PATH")
  }

  /// The hex SHA-256 of `text`'s UTF-8 bytes, computed by the system's `sha256sum`, so that an
  /// expected digest does not come from the code under test.
  public static func sha256(_ text: String) throws -> String {
    let result = try run(
      try which("sha256sum"), [], in: FileManager.default.temporaryDirectory.path,
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
      stdin: text)
    guard result.exitCode == 0, let digest = result.stdout.split(separator: " ").first,
      digest.count == 64
    else { throw CommandError("sha256sum failed: \(result)") }
    return String(digest)
  }
}
