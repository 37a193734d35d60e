import Foundation

/// A read-only memory-mapped file.
public final class MappedFile: BigEndianBytes {
  /// The first byte.
  public let base: UnsafeRawPointer
  /// The size in bytes.
  public let size: Int
  /// Which file was mapped: device, inode, size and change time.
  let identity: FileIdentity

  /// Maps `path`; nil when it cannot be opened, is empty or is smaller than `minimumSize`.
  /// `populate` prefaults every page, for files that will be read end to end.
  public init?(path: String, minimumSize: Int = 1, populate: Bool = false) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, Int(info.st_size) >= max(1, minimumSize) else {
      return nil
    }
    size = Int(info.st_size)
    identity = FileIdentity(info)
    let flags = MAP_PRIVATE | (populate ? MAP_POPULATE : 0)
    guard let mapped = mmap(nil, size, PROT_READ, flags, descriptor, 0), mapped != MAP_FAILED else {
      return nil
    }
    base = UnsafeRawPointer(mapped)
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

  /// The bytes, valid while this file lives.
  public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

  /// The bytes as a value that copies without reference counting, for hot loops; valid while
  /// this file lives.
  var view: MappedBytes { MappedBytes(base: base, size: size) }
}

/// What tells one version of a file from another without reading it: git replaces the index by
/// renaming a new file over it, which changes the inode; a rewrite in place changes the size or
/// the change time.
struct FileIdentity: Equatable {
  let device: UInt64
  let inode: UInt64
  let size: Int64
  let changeSeconds: Int
  let changeNanoseconds: Int

  init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
    size = Int64(info.st_size)
    changeSeconds = info.st_ctim.tv_sec
    changeNanoseconds = info.st_ctim.tv_nsec
  }

  /// The identity of the file at `path` now; nil when it cannot be read.
  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    self.init(info)
  }
}

/// The bytes of a ``MappedFile`` as a value, which copies without reference counting.
struct MappedBytes: BigEndianBytes {
  let base: UnsafeRawPointer
  let size: Int
}

/// Mapped bytes read as git's file formats store numbers: big-endian.
protocol BigEndianBytes {
  var base: UnsafeRawPointer { get }
  var size: Int { get }
}

extension BigEndianBytes {
  func uint32(at offset: Int) -> UInt32 {
    UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  func uint16(at offset: Int) -> UInt16 {
    UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
  }

  func byte(at offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }

  func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: base + offset, count: count)
  }
}
