import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A fixed-seed generator (SplitMix64), so that every corrupted variant can be made again from
/// its seed and number.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// One way of damaging a file: cut short, one to three bits flipped, or a range zeroed.
enum Corruption: CustomStringConvertible, Sendable {
  case truncate(to: Int)
  case flip([(byte: Int, bit: Int)])
  case zero(Range<Int>)

  var description: String {
    switch self {
    case .truncate(let size): return "truncated to \(size) bytes"
    case .flip(let bits):
      return "bits flipped at " + bits.map { "\($0.byte).\($0.bit)" }.joined(separator: ", ")
    case .zero(let range): return "bytes \(range.lowerBound)..<\(range.upperBound) zeroed"
    }
  }

  /// `bytes` damaged this way.
  func apply(to bytes: [UInt8]) -> [UInt8] {
    var result = bytes
    switch self {
    case .truncate(let size):
      result.removeSubrange(min(size, result.count)...)
    case .flip(let bits):
      for (byte, bit) in bits where byte < result.count { result[byte] ^= 1 << bit }
    case .zero(let range):
      let clamped = range.clamped(to: 0..<result.count)
      result.replaceSubrange(clamped, with: repeatElement(0, count: clamped.count))
    }
    return result
  }

  /// `count` corruptions of a file of `size` bytes from `seed`, a third of each kind. Positions
  /// favour the header and the trailer, where the structure lives, and cover the rest evenly.
  static func variants(count: Int, size: Int, seed: UInt64) -> [Corruption] {
    var generator = SplitMix64(seed: seed)
    func position() -> Int {
      switch Int.random(in: 0..<10, using: &generator) {
      case 0...2: return Int.random(in: 0..<min(size, 1200), using: &generator)
      case 3: return Int.random(in: max(0, size - 64)..<size, using: &generator)
      default: return Int.random(in: 0..<size, using: &generator)
      }
    }
    return (0..<count).map { number in
      switch number % 3 {
      case 0:
        return .truncate(to: position())
      case 1:
        let flips = Int.random(in: 1...3, using: &generator)
        return .flip(
          (0..<flips).map { _ in (position(), Int.random(in: 0..<8, using: &generator)) })
      default:
        let start = position()
        let length = Int.random(in: 1...64, using: &generator)
        return .zero(start..<min(size, start + length))
      }
    }
  }
}

/// What one corrupted variant gave.
enum CorruptionOutcome: Equatable {
  /// The same answer as libgit2's (or, where libgit2 cannot read the format at all, git's).
  case agreed
  /// A thrown ``GitError``.
  case clearError
  /// A ``GitError`` the direct reader threw itself, before libgit2 (which crashes on some such
  /// input) was asked.
  case refused
  /// Anything else, described.
  case disagreed(String)
}

/// The figures of one corruption run, printed for the record.
struct CorruptionTally: CustomStringConvertible {
  let name: String
  var variants = 0
  var agreed = 0
  var errors = 0
  /// Variants the direct reader refused (included in ``errors``).
  var refused: [Int] = []
  var disagreements: [String] = []
  /// Variants that took over a second: a reader that loops would show here before it hangs.
  var slow: [String] = []
  var seconds = 0.0

  var description: String {
    String(
      format:
        "%@: %d variants, %d answered as libgit2, %d clear errors (%d refused before libgit2, which "
        + "crashes on some), %d other, %.2f s", name, variants, agreed, errors, refused.count,
      disagreements.count, seconds)
  }
}

/// Writes each of `count` corruptions (from `seed`) of the file at `path` in turn, asks `check`
/// what the readers make of it, and restores the file afterwards.
func runCorruptions(
  name: String, of path: String, count: Int = 1000, seed: UInt64,
  check: (Corruption) throws -> CorruptionOutcome
) throws -> CorruptionTally {
  let original = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
  defer { try? Data(original).write(to: URL(fileURLWithPath: path)) }
  var tally = CorruptionTally(name: name)
  let clock = ContinuousClock()
  let start = clock.now
  for (number, corruption) in Corruption.variants(count: count, size: original.count, seed: seed)
    .enumerated()
  {
    try Data(corruption.apply(to: original)).write(to: URL(fileURLWithPath: path))
    // Names the variant before it runs, so that a crash in libgit2 leaves its seed behind.
    if let log = ProcessInfo.processInfo.environment["PROMPTGATE_CORRUPTION_LOG"] {
      try? Data("\(name) seed \(seed) variant \(number): \(corruption)\n".utf8).write(
        to: URL(fileURLWithPath: log))
    }
    tally.variants += 1
    let outcome: CorruptionOutcome
    let variantStart = clock.now
    do {
      outcome = try check(corruption)
    } catch is GitError {
      outcome = .clearError
    }
    if clock.now - variantStart > .seconds(1) {
      tally.slow.append("variant \(number) (\(corruption)) took \(clock.now - variantStart)")
    }
    switch outcome {
    case .agreed: tally.agreed += 1
    case .clearError: tally.errors += 1
    case .refused:
      tally.errors += 1
      tally.refused.append(number)
      // Kept for running libgit2 on by hand, to confirm that it crashes there.
      if let directory = ProcessInfo.processInfo.environment["PROMPTGATE_CORRUPTION_DUMP"] {
        try? Data(corruption.apply(to: original)).write(
          to: URL(fileURLWithPath: "\(directory)/\(seed)-\(number)"))
      }
    case .disagreed(let what):
      tally.disagreements.append("seed \(seed) variant \(number) (\(corruption)): \(what)")
    }
  }
  let elapsed = clock.now - start
  tally.seconds =
    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  print(tally)
  return tally
}

/// The answer of `body`, or nil when it throws (what libgit2 says when it cannot read something).
func answer<T>(_ body: () throws -> T) -> T? { try? body() }
