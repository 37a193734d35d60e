import Foundation
import TestSupport

/// ClickHouse's own engine (chdb, from the test tools) behind a loopback server that speaks
/// ClickHouse's HTTP interface (Tests/Fixtures/clickhouse/loopback_clickhouse.py). It listens on
/// 127.0.0.1 on an ephemeral port, stops when ``stop()`` is called or its owner goes away, and
/// after two minutes whatever happens.
final class LoopbackClickHouse {
  /// The server's HTTP interface.
  let url: String
  private let process: Process
  private let scratch: URL

  /// Starts a server whose `otel.otel_traces` holds the spans of the OTLP JSON lines at `load`,
  /// accepting `user` with the password in the environment variable `passwordVariable` of
  /// `environment`; `setup` statements run first.
  init(
    load: String?, user: String = "default", password: String? = nil, setup: [String] = []
  ) throws {
    scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("pg-clickhouse-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    let portFile = scratch.appendingPathComponent("port").path
    var arguments = [
      PackageFiles.path("Tests/Fixtures/clickhouse/loopback_clickhouse.py"),
      "--port-file", portFile, "--user", user, "--timeout", "120",
    ]
    if let load { arguments += ["--load", load] }
    if password != nil { arguments += ["--password-env", "LOOPBACK_CLICKHOUSE_PASSWORD"] }
    for statement in setup { arguments += ["--setup", statement] }
    let errors = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    process = Process()
    process.executableURL = URL(fileURLWithPath: try TestTools.path("python"))
    process.arguments = arguments
    var environment = ["PATH": "/usr/bin:/bin", "HOME": scratch.path]
    if let password { environment["LOOPBACK_CLICKHOUSE_PASSWORD"] = password }
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    // Importing the engine and loading the spans takes a few seconds; wait for the port.
    var port: String?
    for _ in 0..<1200 {
      if let text = try? String(contentsOfFile: portFile, encoding: .utf8), !text.isEmpty {
        port = text
        break
      }
      if !process.isRunning { break }
      usleep(100_000)
    }
    guard let port else {
      kill(process.processIdentifier, SIGKILL)
      let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
      throw CommandError("the loopback ClickHouse server did not start:\n\(said)")
    }
    url = "http://127.0.0.1:\(port)"
  }

  /// Stops the server.
  func stop() {
    if process.isRunning {
      // SIGKILL: the test process may hand its children a mask that blocks SIGTERM.
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(at: scratch)
  }

  deinit { stop() }
}
