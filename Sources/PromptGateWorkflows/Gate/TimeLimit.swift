/// Runs work with a limit on its wall time: when the limit passes, the work is cancelled (its
/// calls and harnesses stop: HTTP requests are cancelled, child processes killed) and what it
/// finished is kept.
enum TimeLimit {
  /// The value of `operation`, and whether `seconds` passed first and cancelled it; with no
  /// limit, the operation simply runs.
  static func run<T: Sendable>(
    seconds: Double?, _ operation: @escaping @Sendable () async -> T
  ) async -> (value: T, timedOut: Bool) {
    guard let seconds else { return (await operation(), false) }
    let work = Task { await operation() }
    let watchdog = Task { () -> Bool in
      do {
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
      } catch {
        return false
      }
      work.cancel()
      return true
    }
    let value = await withTaskCancellationHandler {
      await work.value
    } onCancel: {
      work.cancel()
    }
    watchdog.cancel()
    return (value, await watchdog.value)
  }
}
