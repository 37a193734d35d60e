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

  @Test(
    "a delta read in place applies as one read from an array, and an inflater's reused buffer gives each object its own bytes"
  )
  func inPlaceDeltaAndReusedBuffer() throws {
    // Base "abcdef": copy 3 bytes from offset 2, insert "XY", copy the first 2 bytes.
    let delta: [UInt8] = [6, 7, 0x91, 2, 3, 2, 0x58, 0x59, 0x90, 2]
    let base = Array("abcdef".utf8)
    #expect(Delta.apply(delta, to: base) == Array("cdeXYab".utf8))
    #expect(delta.withUnsafeBufferPointer { Delta.apply($0, to: base) } == Array("cdeXYab".utf8))
    // Instructions that make fewer bytes than declared, or run out mid-instruction.
    #expect(Delta.apply([6, 8, 0x91, 2, 3], to: base) == nil)
    #expect(Delta.apply([6, 3, 0x91, 2], to: base) == nil)
    let long = String(repeating: "tree and parents, a longer object first", count: 3)
    let longStream: [UInt8] = [
      0x78, 0x9C, 0x2B, 0x29, 0x4A, 0x4D, 0x55, 0x48, 0xCC, 0x4B, 0x51, 0x28, 0x48, 0x2C, 0x4A,
      0xCD, 0x2B, 0x29, 0xD6, 0x51, 0x48, 0x54, 0xC8, 0xC9, 0xCF, 0x4B, 0x4F, 0x2D, 0x52, 0xC8,
      0x4F, 0xCA, 0x4A, 0x4D, 0x2E, 0x51, 0x48, 0xCB, 0x2C, 0x2A, 0x2E, 0x29, 0xA1, 0xAA, 0x32,
      0x00, 0xDC, 0xE9, 0x2A, 0xFA,
    ]
    let shortStream: [UInt8] = [
      0x78, 0x9C, 0x2B, 0xCE, 0xC8, 0x2F, 0x2A, 0x01, 0x00, 0x06, 0x89, 0x02, 0x31,
    ]
    let inflater = Inflater()
    for (stream, text) in [(longStream, long), (shortStream, "short"), (longStream, long)] {
      let read = stream.withUnsafeBytes { input in
        inflater.inflated(text.utf8.count, from: input.baseAddress!, available: input.count) {
          String(decoding: $0, as: UTF8.self)
        }
      }
      #expect(read == text)
      #expect(inflater.consumed == stream.count)
      // A size other than the stream's is refused, as by exactly(_:from:available:).
      let wrong = stream.withUnsafeBytes { input in
        inflater.inflated(text.utf8.count + 1, from: input.baseAddress!, available: input.count) {
          _ in true
        }
      }
      #expect(wrong == nil)
    }
  }
}
