/// A byte range of a text file that a splice replaces, with where it starts for messages.
struct TextSpan: Equatable {
  /// The first byte.
  var start: Int
  /// One past the last byte.
  var end: Int
  /// The 1-based line of the first byte.
  var line: Int
  /// The 1-based column (in Unicode scalars) of the first byte.
  var column: Int
}

/// Byte offsets of lines in UTF-8 text, for turning parser marks into ranges.
struct LineTable {
  let bytes: [UInt8]
  /// The offset where each line starts; line 1 at index 0.
  let starts: [Int]

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
    self.starts = starts
  }

  /// The byte offset of a 1-based line and column counted in Unicode scalars; nil past the text.
  func offset(line: Int, column: Int) -> Int? {
    guard line >= 1, line <= starts.count else { return nil }
    var offset = starts[line - 1]
    var remaining = column - 1
    while remaining > 0 {
      guard offset < bytes.count, bytes[offset] != 0x0A else { return nil }
      offset += 1
      while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
      remaining -= 1
    }
    return offset
  }

  /// The 1-based line and column of the byte at `offset`.
  func position(of offset: Int) -> (line: Int, column: Int) {
    var low = 0
    var high = starts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if starts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    let column = bytes[starts[low]..<offset].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    return (low + 1, column)
  }

  /// The indentation (leading spaces) of the 1-based line.
  func indentation(ofLine line: Int) -> Int {
    var offset = starts[line - 1]
    var count = 0
    while offset < bytes.count, bytes[offset] == 0x20 {
      offset += 1
      count += 1
    }
    return count
  }
}
