/// A reproducible tar archive in the POSIX ustar format: entries sorted by path, mtime 0, uid
/// and gid 0, no user or group names, and modes normalised to 0644 or 0755, so that the same
/// files give the same bytes on any machine at any time.
public enum USTarArchive {
  /// One regular file of an archive.
  public struct Entry: Sendable, Equatable {
    public let path: String
    public let contents: [UInt8]
    public let executable: Bool

    /// Creates an entry.
    public init(path: String, contents: [UInt8], executable: Bool) {
      self.path = path
      self.contents = contents
      self.executable = executable
    }
  }

  /// Why a path cannot be stored in a ustar header.
  public struct PathTooLong: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
      "\(path) is too long for a ustar archive (at most 100 bytes of name after a 155-byte "
        + "directory prefix)"
    }
  }

  /// The archive's bytes: each entry's header and contents, then two zero blocks.
  public static func bytes(_ entries: [Entry]) throws(PathTooLong) -> [UInt8] {
    var output: [UInt8] = []
    for entry in entries.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
      output += try header(entry)
      output += entry.contents
      let remainder = entry.contents.count % 512
      if remainder != 0 { output += [UInt8](repeating: 0, count: 512 - remainder) }
    }
    output += [UInt8](repeating: 0, count: 1024)
    return output
  }

  private static func header(_ entry: Entry) throws(PathTooLong) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    let (name, prefix) = try split(entry.path)
    func put(_ bytes: [UInt8], at offset: Int) {
      for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
    }
    func octal(_ value: Int, width: Int) -> [UInt8] {
      let digits = String(value, radix: 8)
      return Array((String(repeating: "0", count: width - 1 - digits.count) + digits).utf8) + [0]
    }
    put(name, at: 0)
    put(octal(entry.executable ? 0o755 : 0o644, width: 8), at: 100)
    put(octal(0, width: 8), at: 108)
    put(octal(0, width: 8), at: 116)
    put(octal(entry.contents.count, width: 12), at: 124)
    put(octal(0, width: 12), at: 136)
    put(Array(repeating: 0x20, count: 8), at: 148)
    block[156] = UInt8(ascii: "0")
    put(Array("ustar".utf8) + [0], at: 257)
    put(Array("00".utf8), at: 263)
    put(prefix, at: 345)
    let checksum = block.reduce(0) { $0 + Int($1) }
    put(octal(checksum, width: 7) + [0x20], at: 148)
    return block
  }

  /// The name and prefix fields for `path`: the name whole when it fits in 100 bytes, else
  /// split at a `/` so that the directory part fits in 155.
  private static func split(_ path: String) throws(PathTooLong) -> ([UInt8], [UInt8]) {
    let bytes = Array(path.utf8)
    if bytes.count <= 100 { return (bytes, []) }
    for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "/") {
      let prefix = Array(bytes[..<index])
      let name = Array(bytes[(index + 1)...])
      if prefix.count <= 155, name.count <= 100, !name.isEmpty { return (name, prefix) }
    }
    throw PathTooLong(path: path)
  }
}
