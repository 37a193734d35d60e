import Foundation
import Subprocess
import SystemPackage

/// Runs the team's own harness: the case as JSON on stdin, the behaviour's files in
/// `PROMPTGATE_BEHAVIOR_DIR`, its id in `PROMPTGATE_BEHAVIOR_ID`; the output on stdout, as plain
/// text or as JSON with `output`, `toolCalls` and `usage`.
public struct ExecProvider: Provider {
  /// The provider's definition.
  public let definition: ProviderDefinition
  private let slots: ConcurrencyLimit

  /// The most bytes read from a harness's stdout or stderr.
  static let outputLimit = 8 << 20

  /// Creates the provider.
  public init(_ definition: ProviderDefinition) {
    self.definition = definition
    self.slots = ConcurrencyLimit(definition.limits.concurrency)
  }

  public func complete(_ request: ProviderRequest) async throws -> ProviderOutput {
    try await slots.withSlot {
      let started = ContinuousClock.now
      var attempt = 0
      while true {
        do {
          var output = try await runOnce(request)
          let elapsed = ContinuousClock.now - started
          output.latencyMs =
            Double(elapsed.components.seconds) * 1000
            + Double(elapsed.components.attoseconds) / 1e15
          return output
        } catch is ProviderError where attempt < definition.limits.retries {
          attempt += 1
        }
      }
    }
  }

  private func runOnce(_ request: ProviderRequest) async throws -> ProviderOutput {
    let input = try CanonicalJSON.serialize(
      .object(["id": .string(request.caseID), "vars": .object(request.vars)]))
    let program = definition.command[0]
    let executable = Executable.team(program, in: request.harnessDirectory)
    let environment = Environment.inherit.updating([
      "PROMPTGATE_BEHAVIOR_DIR": request.behavior.directory,
      "PROMPTGATE_BEHAVIOR_ID": request.behavior.id,
      "PROMPTGATE_BEHAVIOR": request.behavior.name,
      "PROMPTGATE_MODEL": request.behavior.model,
      "PROMPTGATE_REPEAT": String(request.repeatIndex),
    ])
    let timeout = definition.limits.timeoutSeconds
    let command = definition.command.joined(separator: " ")
    let result = try await withThrowingTaskGroup(of: ExecutionOutcome?.self) { group in
      group.addTask {
        do {
          let run = try await Subprocess.run(
            executable, arguments: Arguments(Array(definition.command.dropFirst())),
            environment: environment, workingDirectory: FilePath(request.harnessDirectory),
            input: .string(input), output: .string(limit: Self.outputLimit),
            error: .string(limit: Self.outputLimit))
          return ExecutionOutcome(
            status: run.terminationStatus, stdout: run.standardOutput,
            stderr: run.standardError)
        } catch is CancellationError {
          return nil
        } catch {
          throw ProviderError(provider: definition.name, "cannot run `\(command)`: \(error)")
        }
      }
      group.addTask {
        try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
        return nil
      }
      let first = try await group.next() ?? nil
      group.cancelAll()
      return first
    }
    guard let result else {
      throw ProviderError(
        provider: definition.name,
        "`\(command)` took longer than \(CanonicalJSON.format(timeout) ?? "?") s on case '\(request.caseID)' and was stopped"
      )
    }
    guard result.status.isSuccess else {
      let detail = result.stderr.split(separator: "\n").suffix(3).joined(separator: " | ")
      throw ProviderError(
        provider: definition.name,
        "`\(command)` failed on case '\(request.caseID)' (\(result.status))"
          + (detail.isEmpty ? "" : ": \(detail)"))
    }
    return try Self.parse(result.stdout, provider: definition.name, caseID: request.caseID)
  }

  /// Reads a harness's stdout: JSON with `output` (and `toolCalls`, `usage`), or plain text.
  static func parse(_ stdout: String, provider: String, caseID: String) throws -> ProviderOutput {
    let text = stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout
    guard text.hasPrefix("{"), let data = text.data(using: .utf8),
      case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data),
      let outputValue = object["output"]
    else { return ProviderOutput(output: text) }
    guard case .string(let output) = outputValue else {
      throw ProviderError(
        provider: provider, "the harness's `output` for case '\(caseID)' is not a string")
    }
    var toolCalls: [ToolCall] = []
    if case .array(let calls)? = object["toolCalls"] {
      for call in calls {
        guard case .object(let fields) = call, case .string(let name)? = fields["name"] else {
          throw ProviderError(
            provider: provider,
            "a tool call for case '\(caseID)' has no `name`: write {\"name\": ..., \"arguments\": {...}}"
          )
        }
        toolCalls.append(ToolCall(name: name, arguments: fields["arguments"] ?? .object([:])))
      }
    }
    var usage = Usage()
    if case .object(let fields)? = object["usage"] {
      if case .number(let count)? = fields["inputTokens"] { usage.inputTokens = Int(count) }
      if case .number(let count)? = fields["outputTokens"] { usage.outputTokens = Int(count) }
    }
    var model: String?
    if case .string(let name)? = object["model"] { model = name }
    return ProviderOutput(output: output, toolCalls: toolCalls, usage: usage, model: model)
  }

  struct ExecutionOutcome: Sendable {
    let status: TerminationStatus
    let stdout: String
    let stderr: String
  }
}

/// At most `limit` bodies at once; the rest wait their turn in order.
public actor ConcurrencyLimit {
  private var available: Int
  private var waiting: [CheckedContinuation<Void, Never>] = []

  /// Creates a limit.
  public init(_ limit: Int) { available = max(1, limit) }

  /// Runs `body` once a slot is free.
  public func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    if available > 0 {
      available -= 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  private func release() {
    if waiting.isEmpty {
      available += 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}

extension Executable {
  /// A program a team's configuration names: looked up on PATH when it is a bare name, taken
  /// relative to `directory` (the harness directory) when it is a relative path.
  static func team(_ program: String, in directory: String) -> Executable {
    guard program.contains("/") else { return .name(program) }
    return .path(FilePath(program.hasPrefix("/") ? program : "\(directory)/\(program)"))
  }
}
