import Foundation

/// The PromptGate executables that the package builds beside the test binary.
public enum Executable {
  /// The build products directory: where the running test binary and every `promptgate-*`
  /// executable are (`.build/<triple>/debug`).
  public static let directory: String = {
    let running =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: running).deletingLastPathComponent().path
  }()

  /// The path of the built executable `name` (`promptgate`, `promptgate-version`, ...).
  public static func path(_ name: String) throws -> String {
    let candidate = directory + "/" + name
    guard FileManager.default.isExecutableFile(atPath: candidate) else {
      throw CommandError(
        "\(name) is not built in \(directory); run `swift build --build-tests` first")
    }
    return candidate
  }

  /// Runs the built executable `name` with `arguments` in `directory` with exactly `environment`.
  public static func run(
    _ name: String, _ arguments: [String], in directory: String,
    environment: [String: String], stdin: String? = nil
  ) throws -> CommandResult {
    try Subprocess.run(
      try path(name), arguments, in: directory, environment: environment, stdin: stdin)
  }
}
