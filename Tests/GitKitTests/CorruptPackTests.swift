import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A damaged pack never crashes or hangs the direct reader, and never makes it answer
/// differently from libgit2: it declines, and libgit2 answers or says what is wrong.
@Suite("Corrupt pack", .timeLimit(.minutes(2)))
struct CorruptPackTests {
  @Test("1,000 corrupted variants of a pack: each read is libgit2's answer or a GitError")
  func variants() throws {
    let fixture = try PackFixture()
    #expect(try fixture.outcome() == .agreed, "the undamaged pack reads as libgit2 reads it")
    let tally = try runCorruptions(
      name: "pack", of: fixture.packBase + ".pack", seed: 0x9AC_0002
    ) { _ in try fixture.outcome() }
    #expect(tally.variants == 1000)
    #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(5))")
    #expect(tally.slow.isEmpty, "\(tally.slow)")
  }

  @Test("a delta whose declared sizes are absurd is declined before anything is allocated")
  func absurdSizes() throws {
    // A result size of 2^48 from a 12-byte delta.
    let delta: [UInt8] = [3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x90, 1, 0x61]
    #expect(Delta.apply(delta, to: [0x61, 0x62, 0x63]) == nil)
    // A copy past the base, and a copy longer than the declared result.
    #expect(Delta.apply([3, 2, 0x91, 1, 3], to: [1, 2, 3]) == nil)
    #expect(Delta.apply([3, 2, 0x90, 3], to: [1, 2, 3]) == nil)
    #expect(Delta.apply([3, 3, 0x90, 3], to: [1, 2, 3]) == [1, 2, 3])
    let inflater = Inflater()
    let input: [UInt8] = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
    #expect(
      input.withUnsafeBytes { inflater.exactly(0, from: $0.baseAddress!, available: 8) } == [])
    #expect(
      input.withUnsafeBytes { inflater.exactly(1 << 40, from: $0.baseAddress!, available: 8) }
        == nil)
    #expect(
      input.withUnsafeBytes { inflater.exactly(-1, from: $0.baseAddress!, available: 8) } == nil)
  }
}
