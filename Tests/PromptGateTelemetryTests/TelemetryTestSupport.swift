import Foundation
import PromptGateCore

@testable import PromptGateTelemetry

/// A seeded generator (SplitMix64), so that random tests are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A temporary file holding `text`, deleted when released.
final class TemporaryFile {
  let path: String

  init(_ text: String) throws {
    path = FileManager.default.temporaryDirectory.path + "/promptgate-telemetry-\(UUID()).jsonl"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// An id made of one repeated hex digit.
func testID(_ digit: Character) -> BehaviorID {
  BehaviorID(digest: String(repeating: digit, count: 64))
}

/// Every event of `file`, and what was skipped.
func readAll(_ file: NativeEventFile) throws -> ([TelemetryEvent], ReadProblems) {
  var events: [TelemetryEvent] = []
  var problems = ReadProblems()
  try file.events(problems: &problems) { events.append($0) }
  return (events, problems)
}
