import Foundation

/// The loopback server's shared, lock-protected state: the script, the faults to come, and
/// what it has received.
final class LoopbackState: @unchecked Sendable {
  /// What to do with one chat request, decided when it arrives.
  struct Plan {
    /// The fault to act out instead of answering, if any.
    let fault: LoopbackFault?
    /// Milliseconds to wait before answering.
    let latencyMs: Int
    /// How to answer.
    let responder: LoopbackResponder
    /// The request's number, from 1.
    let serial: Int
  }

  private let lock = NSLock()
  private var responder: LoopbackResponder
  private var latencyMs = 0
  private var faults: [LoopbackFault] = []
  private var records: [RecordedRequest] = []
  private var inFlight = 0
  private var maxInFlight = 0
  private var chatRequests = 0
  private var stopped = false

  init(responder: @escaping LoopbackResponder) {
    self.responder = responder
  }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  /// Records `request`, counts it in flight and, for a chat request, takes the next fault.
  func begin(_ request: RecordedRequest, isChat: Bool) -> Plan {
    locked {
      records.append(request)
      inFlight += 1
      maxInFlight = max(maxInFlight, inFlight)
      guard isChat else { return Plan(fault: nil, latencyMs: 0, responder: responder, serial: 0) }
      chatRequests += 1
      let fault = faults.isEmpty ? nil : faults.removeFirst()
      return Plan(fault: fault, latencyMs: latencyMs, responder: responder, serial: chatRequests)
    }
  }

  /// Counts a request as answered (or abandoned).
  func end() { locked { inFlight -= 1 } }

  /// Marks the server stopped; true the first time only.
  func markStopped() -> Bool {
    locked {
      defer { stopped = true }
      return !stopped
    }
  }

  var requests: [RecordedRequest] { locked { records } }
  var currentInFlight: Int { locked { inFlight } }
  var highestInFlight: Int { locked { maxInFlight } }
  var pendingFaults: [LoopbackFault] { locked { faults } }

  var latency: Int {
    get { locked { latencyMs } }
    set { locked { latencyMs = max(newValue, 0) } }
  }

  func setResponder(_ newResponder: @escaping LoopbackResponder) {
    locked { responder = newResponder }
  }

  func append(_ fault: LoopbackFault, count: Int) {
    locked { faults += Array(repeating: fault, count: max(count, 0)) }
  }

  func clearFaults() { locked { faults = [] } }

  func clearRecords() {
    locked {
      records = []
      maxInFlight = inFlight
    }
  }
}
