/// Limits the calls one provider (HTTP or exec) has in flight, and slows everyone down when the server says
/// it is overloaded.
///
/// Permits are handed out first come, first served, up to an effective limit that starts at the
/// configured concurrency. A rate-limited answer (429) halves the limit (to no less than 1) once
/// per round of calls: answers to calls that started before the last cut do not cut it again.
/// Each success adds `1/limit` back, so the limit climbs by about one per round of successes
/// until it is back at the configured value. A `Retry-After` on a 429 also holds every call
/// that has not yet been sent until that time.
public actor AdaptiveLimiter {
  /// What the answer to a permitted call said about the server's load.
  public enum Signal: Sendable {
    /// A successful answer.
    case success
    /// A 429, with the wait the server asked for.
    case rateLimited(retryAfter: Duration?)
    /// Anything else (an error, a timeout): no change.
    case neutral
  }

  /// The right to send one call.
  public struct Permit: Sendable {
    /// Order of issue, to tell calls made before a cut from calls made after it.
    public let ticket: Int
    /// When the call may be sent, when the server asked everyone to wait.
    public let notBefore: ContinuousClock.Instant?
  }

  private let maximum: Int
  private var limit: Double
  private var inFlight = 0
  private var issued = 0
  private var lastCutTicket = 0
  private var pausedUntil: ContinuousClock.Instant?
  private var waiters: [(id: Int, continuation: CheckedContinuation<Permit, any Error>)] = []
  private var nextWaiterID = 0

  /// A limiter allowing `concurrency` calls at once (at least 1).
  public init(concurrency: Int) {
    maximum = max(concurrency, 1)
    limit = Double(maximum)
  }

  /// The current effective limit.
  public var effectiveLimit: Int { Int(limit) }

  /// Calls holding a permit now.
  public var callsInFlight: Int { inFlight }

  /// Waits for a permit; throws `CancellationError` when the task is cancelled while waiting.
  public func acquire() async throws -> Permit {
    if waiters.isEmpty && inFlight < Int(limit) { return grant() }
    let id = nextWaiterID
    nextWaiterID += 1
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        if Task.isCancelled {
          continuation.resume(throwing: CancellationError())
        } else {
          waiters.append((id, continuation))
        }
      }
    } onCancel: {
      Task { await self.cancelWaiter(id) }
    }
  }

  /// Returns a permit, with what the answer said about the server's load.
  public func release(_ permit: Permit, _ signal: Signal) {
    inFlight -= 1
    switch signal {
    case .success:
      if limit < Double(maximum) { limit = min(Double(maximum), limit + 1 / limit) }
    case .rateLimited(let retryAfter):
      if permit.ticket > lastCutTicket {
        limit = max(1, (limit / 2).rounded(.down))
        lastCutTicket = issued
      }
      if let retryAfter {
        let until = ContinuousClock.now + retryAfter
        pausedUntil = max(pausedUntil ?? until, until)
      }
    case .neutral:
      break
    }
    wakeWaiters()
  }

  private func grant() -> Permit {
    inFlight += 1
    issued += 1
    if let pause = pausedUntil, pause <= .now { pausedUntil = nil }
    return Permit(ticket: issued, notBefore: pausedUntil)
  }

  private func wakeWaiters() {
    while !waiters.isEmpty && inFlight < Int(limit) {
      waiters.removeFirst().continuation.resume(returning: grant())
    }
  }

  private func cancelWaiter(_ id: Int) {
    guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
    waiters.remove(at: index).continuation.resume(throwing: CancellationError())
  }
}
