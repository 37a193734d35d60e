import PromptGateCore

/// Somewhere telemetry is read from. Every source adds to one ``Aggregation``: file readers
/// stream their events into it, a database adds the aggregates it computed; so the same requests
/// give the same figures from any source.
public protocol TelemetrySource: Sendable {
  /// How the source is named in messages and reports (a path, `-`, a server).
  var name: String { get }
  /// Adds what the source holds to `aggregation`; lines that are not events are skipped and
  /// recorded in its problems. Throws a ``PromptGateError`` when the source cannot be read.
  func read(into aggregation: inout Aggregation) async throws
}

/// A source of single events, for what needs each request rather than aggregates (replay).
public protocol EventSource: TelemetrySource {
  /// Calls `body` with each event in order; skipped lines go to `problems`.
  func events(problems: inout ReadProblems, _ body: (TelemetryEvent) throws -> Void) throws
}

extension EventSource {
  public func read(into aggregation: inout Aggregation) async throws {
    var problems = aggregation.problems
    try events(problems: &problems) { aggregation.add($0) }
    aggregation.problems = problems
    aggregation.read(name)
  }
}
