import Foundation
import Subprocess
import SystemPackage

/// Runs the team's own harness: the case as JSON on stdin, the behaviour's files in
/// `PROMPTGATE_BEHAVIOR_DIR`, its id in `PROMPTGATE_BEHAVIOR_ID`; the output on stdout, as plain
/// text or as JSON with `output`, `toolCalls` and `usage`.
public struct ExecProvider: Provider {
  /// The provider's definition.
  public let definition: ProviderDefinition
  private let limiter: AdaptiveLimiter
  /// The one retry policy every client shares; a harness's waits are short.
  private let policy = RetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .seconds(2))

  /// The most bytes read from a harness's stdout or stderr.
  static let outputLimit = 8 << 20

  /// Creates the provider.
  public init(_ definition: ProviderDefinition) {
    self.definition = definition
    self.limiter = AdaptiveLimiter(concurrency: definition.limits.concurrency)
  }

  public func complete(_ request: ProviderRequest) async throws -> ProviderOutput {
    let started = ContinuousClock.now
    var last: ProviderError?
    do {
      var output: ProviderOutput = try await policy.run(
        label: "provider \(definition.name)", retries: definition.limits.retries
      ) { _ -> Attempt<ProviderOutput> in
        let permit: AdaptiveLimiter.Permit
        do {
          permit = try await limiter.acquire()
        } catch {
          return .fail("cancelled before the harness ran")
        }
        do {
          let output = try await runOnce(request)
          await limiter.release(permit, .success)
          return .success(output)
        } catch let error as ProviderError {
          await limiter.release(permit, .neutral)
          last = error
          return .retry(error.message)
        } catch {
          await limiter.release(permit, .neutral)
          return .fail("\(error)")
        }
      }
      output.latencyMs = (ContinuousClock.now - started).totalSeconds * 1000
      return output
    } catch {
      // The harness's own last message says more than the retry count.
      throw last ?? ProviderError(provider: definition.name, error.message)
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
          let run = try await InputFile.with(input) { stdin in
            try await Subprocess.run(
              executable, arguments: Arguments(Array(definition.command.dropFirst())),
              environment: environment, workingDirectory: FilePath(request.harnessDirectory),
              input: .fileDescriptor(stdin, closeAfterSpawningProcess: false),
              output: .string(limit: Self.outputLimit), error: .string(limit: Self.outputLimit))
          }
          return ExecutionOutcome(
            status: run.terminationStatus, stdout: run.standardOutput,
            stderr: run.standardError)
        } catch is CancellationError {
          return nil
        } catch let error as PromptGateError {
          throw error
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
      // A file the command names that was not materialised is almost always one missing from
      // the set's `files:`; say so instead of showing a temporary path.
      if let missing = Self.missingFile(in: definition.command, directory: request.harnessDirectory)
      {
        throw ProviderError(
          provider: definition.name,
          "`\(command)` needs \(missing), which is not among the eval set's files: list it under "
            + "`files:` in the eval set (the harness runs from a copy of those files, not from the "
            + "working tree)")
      }
      let detail = result.stderr.split(separator: "\n").suffix(3).joined(separator: " | ")
      throw ProviderError(
        provider: definition.name,
        "`\(command)` failed on case '\(request.caseID)' (\(Self.describe(result.status)))"
          + (detail.isEmpty ? "" : ": \(detail)"))
    }
    return try Self.parse(result.stdout, provider: definition.name, caseID: request.caseID)
  }

  /// The first relative path in `command` (the program, or an argument such as a script) that
  /// does not exist in the harness directory; nil when every one does or none is a path.
  static func missingFile(in command: [String], directory: String) -> String? {
    let scripts = [".py", ".sh", ".js", ".mjs", ".ts", ".rb", ".pl"]
    for argument in command
    where !argument.hasPrefix("/") && !argument.hasPrefix("-")
      && (argument.contains("/") || scripts.contains(where: argument.hasSuffix))
    {
      if !FileManager.default.fileExists(atPath: directory + "/" + argument) { return argument }
    }
    return nil
  }

  /// How a harness ended, as a person says it.
  static func describe(_ status: TerminationStatus) -> String {
    switch status {
    case .exited(let code): return "exit code \(code)"
    case .signaled(let signal): return "killed by signal \(signal)"
    }
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

extension Executable {
  /// A program a team's configuration names: looked up on PATH when it is a bare name, taken
  /// relative to `directory` (the harness directory) when it is a relative path.
  static func team(_ program: String, in directory: String) -> Executable {
    guard program.contains("/") else { return .name(program) }
    return .path(FilePath(program.hasPrefix("/") ? program : "\(directory)/\(program)"))
  }
}
