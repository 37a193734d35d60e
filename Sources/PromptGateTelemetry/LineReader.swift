import Foundation

/// Reads a file (or standard input) line by line in fixed-size chunks, so memory stays bounded
/// by the chunk and the longest line kept, whatever the file's size.
struct LineReader {
  /// Lines longer than this are skipped, not kept: a runaway value cannot exhaust memory.
  let maximumLineLength: Int
  let chunkSize = 1 << 20

  /// What happened to a line too long to keep.
  struct Overlong { let line: Int }

  /// Calls `body` with each line's bytes (without the newline or a trailing CR) and its 1-based
  /// number; `overlong` with the number of each line past ``maximumLineLength``. A last line with
  /// no newline is passed too, flagged as unterminated (a file cut while being written).
  /// `prefix` holds bytes already read from the descriptor (to detect the format).
  func read(
    descriptor: Int32, prefix: [UInt8] = [],
    body: (UnsafeBufferPointer<UInt8>, Int, _ terminated: Bool) throws -> Void,
    overlong: (Int) -> Void
  ) throws {
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
    defer { buffer.deallocate() }
    var pending: [UInt8] = []
    var skipping = false
    var line = 1
    func emit(_ bytes: UnsafeBufferPointer<UInt8>, terminated: Bool) throws {
      var count = bytes.count
      if count > 0, bytes[count - 1] == 0x0D { count -= 1 }
      try body(UnsafeBufferPointer(rebasing: bytes[0..<count]), line, terminated)
    }
    func consume(_ chunk: UnsafeBufferPointer<UInt8>) throws {
      guard let base = chunk.baseAddress else { return }
      let count = chunk.count
      var start = 0
      while start < count {
        guard let newline = memchr(base + start, 0x0A, count - start) else {
          if !skipping {
            pending.append(contentsOf: chunk[start..<count])
            if pending.count > maximumLineLength {
              overlong(line)
              pending.removeAll()
              skipping = true
            }
          }
          break
        }
        let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        if skipping {
          skipping = false
        } else if pending.isEmpty {
          if end - start > maximumLineLength {
            overlong(line)
          } else {
            try emit(UnsafeBufferPointer(rebasing: chunk[start..<end]), terminated: true)
          }
        } else {
          pending.append(contentsOf: chunk[start..<end])
          if pending.count > maximumLineLength {
            overlong(line)
          } else {
            try pending.withUnsafeBufferPointer { try emit($0, terminated: true) }
          }
          pending.removeAll(keepingCapacity: true)
        }
        line += 1
        start = end + 1
      }
    }
    try prefix.withUnsafeBufferPointer { try consume($0) }
    while true {
      let read = Glibc.read(descriptor, buffer, chunkSize)
      if read < 0 {
        if errno == EINTR { continue }
        throw LineReadError(errno: errno)
      }
      if read == 0 { break }
      try consume(UnsafeBufferPointer(start: buffer, count: read))
    }
    if skipping {
      return
    }
    if !pending.isEmpty {
      try pending.withUnsafeBufferPointer { try emit($0, terminated: false) }
    }
  }
}

/// A read that failed part-way.
struct LineReadError: Error {
  let errno: Int32
  var message: String { String(cString: strerror(errno)) }
}
