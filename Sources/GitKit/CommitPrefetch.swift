import Foundation

/// A pack's commits read ahead on other threads while a walk without a commit-graph finds the
/// commits of a range, so that the walk looks most of them up instead of inflating each.
///
/// git writes a pack's commits first, in the order a walk from the tips meets them, so reading
/// them in the order stored keeps just ahead of the walk: a commit not read yet but close is
/// waited for, one far ahead, or past the commits the readers cover (each stops at the first
/// object that is not a plain commit), is read by the walk itself.
///
/// The run of commits is read in two parts at once, the second from a commit about halfway
/// along it (found from a sample of the pack's index): one reader inflating 80,000 commits
/// took longer than the walk spent on them, which waited for it.
final class CommitPrefetch: @unchecked Sendable {
  /// The pack read.
  let pack: PackFile
  /// How far past a reader, in bytes of the pack, a commit asked for is waited for.
  static let window = 1 << 18
  /// How many commits a reader publishes at once.
  static let batch = 64
  /// How many index entries are sampled to find where the second part starts.
  static let samples = 1024

  /// What one reader has read of its part of the pack, from `start` to the next part's start
  /// (its arrays are changed and read under the prefetch's lock only).
  private final class Part: @unchecked Sendable {
    let start: Int
    let end: Int
    /// The offsets of the commits read so far, ascending, and their fields.
    var offsets: [Int] = []
    var fields: [CommitFields] = []
    /// Whether the reader has ended.
    var finished = false

    init(start: Int, end: Int) {
      self.start = start
      self.end = end
    }
  }

  private let condition = NSCondition()
  private let parts: [Part]
  /// About how many commits the pack's leading run holds, from the sample.
  let estimatedCommits: Int
  /// Whether the readers were told to stop.
  private var cancelled = false
  private let ended = DispatchSemaphore(value: 0)

  /// Starts reading `pack`'s commits, in `readers` parts (fewer when the pack's run of commits
  /// is too short to split), each on a thread of its own.
  init(pack: PackFile, readers: Int = 2) {
    self.pack = pack
    var starts = [12]
    let sampled = pack.leadingCommitOffsets(samples: Self.samples)
    estimatedCommits = sampled.count * max(1, pack.count / Self.samples)
    if readers > 1, sampled.count >= readers {
      for part in 1..<readers {
        let start = sampled[sampled.count * part / readers]
        if start > starts[starts.count - 1] { starts.append(start) }
      }
    }
    parts = starts.indices.map {
      Part(start: starts[$0], end: $0 + 1 < starts.count ? starts[$0 + 1] : .max)
    }
    // Room for each part's share of the estimate and a little more: grown step by step, a
    // part's table was copied, and held twice at its largest.
    let share = estimatedCommits / parts.count + estimatedCommits / 16
    for part in parts {
      part.offsets.reserveCapacity(share)
      part.fields.reserveCapacity(share)
    }
    for part in parts {
      let thread = Thread { [self] in
        read(part)
        ended.signal()
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
  }

  /// The number of parts read at once (for tests).
  var partCount: Int { parts.count }

  private func read(_ part: Part) {
    let inflater = Inflater()
    var newOffsets: [Int] = []
    var newFields: [CommitFields] = []
    var position = part.start
    func publish(ending: Bool) -> Bool {
      condition.lock()
      defer { condition.unlock() }
      part.offsets += newOffsets
      part.fields += newFields
      part.finished = ending
      condition.broadcast()
      newOffsets.removeAll(keepingCapacity: true)
      newFields.removeAll(keepingCapacity: true)
      return !cancelled
    }
    pack.readCommits(from: &position, before: part.end, inflater: inflater) { offset, commit in
      newOffsets.append(offset)
      newFields.append(commit)
      return newOffsets.count < Self.batch || publish(ending: false)
    }
    _ = publish(ending: true)
  }

  /// The fields of the commit at `offset` of the pack, once a reader has read it (waiting
  /// when it is close); nil when no reader has read it and none will soon.
  func fields(at offset: Int) -> CommitFields? {
    // The part whose range holds the offset: the last that starts at or before it.
    guard let part = parts.last(where: { $0.start <= offset }) else { return nil }
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let last = part.offsets.last, offset <= last {
        var (low, high) = (0, part.offsets.count)
        while low < high {
          let middle = (low + high) / 2
          if part.offsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low < part.offsets.count && part.offsets[low] == offset ? part.fields[low] : nil
      }
      guard !part.finished, offset - (part.offsets.last ?? part.start) <= Self.window else {
        return nil
      }
      condition.wait()
    }
  }

  /// Tells the readers to stop, and waits until they have.
  func stop() {
    condition.lock()
    cancelled = true
    condition.unlock()
    for _ in parts { ended.wait() }
  }
}
