internal import Czlib

/// zlib inflation of git's compressed objects.
enum Inflate {
  /// The most bytes zlib's deflate can make of one input byte (its documented worst case is
  /// about 1032:1): a declared size beyond this many times the input is a corrupt header, and
  /// is refused before anything is allocated for it.
  static let maximumRatio = 1040

  /// The largest output trusted from `available` compressed bytes.
  static func limit(forInput available: Int) -> Int {
    min(Int(UInt32.max), available.multipliedReportingOverflow(by: maximumRatio).partialValue + 64)
  }

  /// Inflates a whole zlib stream of unknown size (a loose object); nil when it is malformed or
  /// inflates to more than ``limit(forInput:)`` allows.
  static func all(_ input: [UInt8]) -> [UInt8]? {
    guard input.count < Int(UInt32.max) else { return nil }
    let limit = limit(forInput: input.count)
    var stream = z_stream()
    guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      return nil
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    return input.withUnsafeBytes { source -> [UInt8]? in
      stream.next_in = UnsafeMutablePointer(
        mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self))
      stream.avail_in = uInt(source.count)
      while true {
        let (status, produced): (Int32, Int) = chunk.withUnsafeMutableBytes { buffer in
          stream.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
          stream.avail_out = uInt(buffer.count)
          let status = inflate(&stream, Z_NO_FLUSH)
          return (status, buffer.count - Int(stream.avail_out))
        }
        output += chunk[..<produced]
        guard output.count <= limit else { return nil }
        if status == Z_STREAM_END { return output }
        guard status == Z_OK, produced > 0 || stream.avail_in > 0 else { return nil }
      }
    }
  }
}

/// One zlib stream, initialised once and reset for each object: a history walk inflates tens
/// of thousands of small trees, and setting a stream up and tearing it down for each one costs
/// more than inflating it.
final class Inflater {
  private var stream = z_stream()
  private var ready = false
  /// How many input bytes the last stream inflated took: where the object after it starts.
  private(set) var consumed = 0

  /// A buffer reused by ``inflated(_:from:available:_:)``, and its size.
  private var scratch: UnsafeMutableRawPointer?
  private var scratchSize = 0

  deinit {
    if ready { inflateEnd(&stream) }
    scratch?.deallocate()
  }

  /// Inflates the zlib stream at `input` (at most `available` bytes) into exactly `size` bytes;
  /// nil when the stream is malformed, holds a different amount, or `size` is more than
  /// `available` bytes could inflate to.
  func exactly(_ size: Int, from input: UnsafeRawPointer, available: Int) -> [UInt8]? {
    guard size >= 0, available > 0, size <= Inflate.limit(forInput: available) else { return nil }
    // An empty object still has a stream to finish, and zlib wants somewhere to write.
    var output = [UInt8](repeating: 0, count: max(size, 1))
    let inflated = output.withUnsafeMutableBytes { buffer in
      inflate(size, from: input, available: available, into: buffer.baseAddress!)
    }
    guard inflated else { return nil }
    if size == 0 { output.removeAll() }
    return output
  }

  /// ``exactly(_:from:available:)`` into a buffer this inflater keeps and reuses, passed to
  /// `body` (valid only during the call): for the many small objects a reader parses and lets
  /// go, such as commits read ahead, each of which otherwise cost an allocation and a release.
  func inflated<T>(
    _ size: Int, from input: UnsafeRawPointer, available: Int,
    _ body: (UnsafeBufferPointer<UInt8>) -> T?
  ) -> T? {
    guard size >= 0, available > 0, size <= Inflate.limit(forInput: available) else { return nil }
    if scratchSize < max(size, 1) {
      scratch?.deallocate()
      scratchSize = max(size, 4096)
      scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchSize, alignment: 16)
    }
    guard let scratch, inflate(size, from: input, available: available, into: scratch) else {
      return nil
    }
    return body(
      UnsafeBufferPointer(start: scratch.assumingMemoryBound(to: UInt8.self), count: size))
  }

  /// Inflates into `output` (room for at least one byte, and `size`); false when the stream
  /// is malformed or holds other than `size` bytes.
  private func inflate(
    _ size: Int, from input: UnsafeRawPointer, available: Int, into output: UnsafeMutableRawPointer
  ) -> Bool {
    if ready {
      guard inflateReset(&stream) == Z_OK else { return false }
    } else {
      guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
      else { return false }
      ready = true
    }
    stream.next_in = UnsafeMutablePointer(mutating: input.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = uInt(min(available, Int(UInt32.max)))
    stream.next_out = output.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = uInt(size)
    var status = Z_OK
    repeat { status = Czlib.inflate(&stream, Z_FINISH) } while status == Z_OK
    guard status == Z_STREAM_END, Int(stream.total_out) == size else { return false }
    consumed = Int(stream.total_in)
    return true
  }
}
