import Foundation

/// A pack's commits read ahead on another thread while a walk without a commit-graph finds the
/// commits of a range, so that the walk looks most of them up instead of inflating each.
///
/// git writes a pack's commits first, in the order a walk from the tips meets them, so reading
/// them in the order stored keeps just ahead of the walk: a commit not read yet but close is
/// waited for, one far ahead, or past the commits the reader covers (it stops at the first
/// object that is not a plain commit), is read by the walk itself.
final class CommitPrefetch: @unchecked Sendable {
  /// The pack read.
  let pack: PackFile
  /// How far past the reader, in bytes of the pack, a commit asked for is waited for.
  static let window = 1 << 18
  /// How many commits the reader publishes at once.
  static let batch = 64

  private let condition = NSCondition()
  /// The offsets of the commits read so far, ascending, and their fields.
  private var offsets: [Int] = []
  private var fields: [CommitFields] = []
  /// Whether the reader has ended, and whether it was told to stop.
  private var finished = false
  private var cancelled = false
  private let ended = DispatchSemaphore(value: 0)

  /// Starts reading `pack`'s commits on a thread of its own.
  init(pack: PackFile) {
    self.pack = pack
    let thread = Thread { [self] in
      read()
      ended.signal()
    }
    thread.stackSize = 1 << 20
    thread.start()
  }

  private func read() {
    let inflater = Inflater()
    var newOffsets: [Int] = []
    var newFields: [CommitFields] = []
    var position = 12
    func publish(ending: Bool) -> Bool {
      condition.lock()
      defer { condition.unlock() }
      offsets += newOffsets
      fields += newFields
      finished = ending
      condition.broadcast()
      newOffsets.removeAll(keepingCapacity: true)
      newFields.removeAll(keepingCapacity: true)
      return !cancelled
    }
    pack.readCommits(from: &position, inflater: inflater) { offset, commit in
      newOffsets.append(offset)
      newFields.append(commit)
      return newOffsets.count < Self.batch || publish(ending: false)
    }
    _ = publish(ending: true)
  }

  /// The fields of the commit at `offset` of the pack, once the reader has read it (waiting
  /// when it is close); nil when the reader has not read it and will not soon.
  func fields(at offset: Int) -> CommitFields? {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let last = offsets.last, offset <= last {
        var (low, high) = (0, offsets.count)
        while low < high {
          let middle = (low + high) / 2
          if offsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low < offsets.count && offsets[low] == offset ? fields[low] : nil
      }
      guard !finished, offset - (offsets.last ?? 12) <= Self.window else { return nil }
      condition.wait()
    }
  }

  /// Tells the reader to stop, and waits until it has.
  func stop() {
    condition.lock()
    cancelled = true
    condition.unlock()
    ended.wait()
  }
}
