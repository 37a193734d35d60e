import Testing

@testable import GitKit

/// The pack index's search, which starts where an id would lie in its fan-out bucket, finds
/// what a plain binary search finds: present ids, absent ones between, before and after them,
/// in buckets of every size and with ids bunched unevenly.
@Suite("Pack index search")
struct PackIndexSearchTests {
  private func expected(_ names: [ObjectID], _ id: ObjectID, _ low: Int, _ high: Int) -> Int {
    (low..<high).first { !(names[$0] < id) } ?? high
  }

  @Test(
    "the lower bound of every id, present or not, in sorted buckets",
    arguments: [0, 1, 2, 9, 50, 700])
  func lowerBounds(count: Int) {
    var seed: UInt64 = 0xB0C4_E7 &+ UInt64(count)
    func random() -> UInt64 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return seed ^ (seed >> 29)
    }
    // One bucket of ids sharing the first byte 0x5A; half of them bunched near its start.
    func id(bunched: Bool) -> ObjectID {
      var high = 0x5A00_0000_0000_0000 | (random() >> 8)
      if bunched { high &= 0xFF00_00FF_FFFF_FFFF }
      return ObjectID(high: high, middle: random(), low: UInt32(truncatingIfNeeded: random()))
    }
    var names = (0..<count).map { id(bunched: $0 % 2 == 0) }
    names = Array(Set(names)).sorted()
    // A few entries of other buckets around it, outside the searched range.
    let before = ObjectID(high: 0x59FF_FFFF_FFFF_FFFF, middle: 0, low: 0)
    let after = ObjectID(high: 0x5B00_0000_0000_0000, middle: 0, low: 0)
    let all = [before] + names + [after]
    let low = 1
    let high = all.count - 1
    var probes = names
    for _ in 0..<200 { probes.append(id(bunched: random() % 3 == 0)) }
    probes += [
      ObjectID(high: 0x5A00_0000_0000_0000, middle: 0, low: 0),
      ObjectID(high: 0x5AFF_FFFF_FFFF_FFFF, middle: .max, low: .max),
    ]
    for probe in probes {
      let found = PackFile.lowerBound(of: probe, from: low, to: high) { all[$0] }
      #expect(found == expected(all, probe, low, high), "\(probe)")
    }
  }
}
