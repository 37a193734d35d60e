import Dispatch
import Foundation

/// Work shared out among the cores: a large input is cut into parts, each read on its own
/// thread, and what each part found is gathered in part order, so the answer is the one a
/// single pass would give.
enum Parts {
  /// How many parts `items` are read in: one below `threshold`, else one per core (at most 8).
  static func count(for items: Int, threshold: Int) -> Int {
    items < threshold ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
  }

  /// The item ranges of `count` parts of `items`, in order, of near-equal size.
  static func ranges(of items: Int, in count: Int) -> [Range<Int>] {
    let size = (items + count - 1) / max(count, 1)
    return (0..<count).map { min(items, $0 * size)..<min(items, ($0 + 1) * size) }
  }

  /// What `body` gives for each part `0..<count`, in part order; the parts run concurrently
  /// when there are several. `body` must touch only what its part owns, or what no part writes.
  ///
  /// The first part runs on the calling thread and the others on Dispatch's global queue.
  /// (`DispatchQueue.concurrentPerform` called from a task of Swift's cooperative pool, where
  /// every command runs, performs its iterations one after another on that one thread.)
  static func run<Result>(_ count: Int, _ body: (Int) -> Result) -> [Result] {
    guard count > 1 else { return count == 1 ? [body(0)] : [] }
    return withoutActuallyEscaping(body) { body in
      // Each part writes only its own slot, and the slots are read once every part has ended
      // (the group's wait returns only then), so no lock is needed.
      nonisolated(unsafe) let work = body
      nonisolated(unsafe) let slots = UnsafeMutableBufferPointer<Result?>.allocate(
        capacity: count)
      slots.initialize(repeating: nil)
      defer {
        slots.deinitialize()
        slots.deallocate()
      }
      let group = DispatchGroup()
      for part in 1..<count {
        DispatchQueue.global(qos: .userInitiated).async(group: group) {
          slots[part] = work(part)
        }
      }
      slots[0] = work(0)
      group.wait()
      return slots.map { $0! }
    }
  }
}
