import Foundation

/// YAML and JSON files as data, and the front matter of prompt files: parsing them, and
/// recognising Git LFS pointers.
enum StructuredFile {
  /// True for `.json`, `.yaml` and `.yml` files, which hash in canonical form in policy sets.
  static func isStructured(_ path: String) -> Bool {
    let lower = path.lowercased()
    return lower.hasSuffix(".json") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
  }

  /// Parses `bytes` as JSON (for `.json`), as the front matter of a `.prompt` or `.prompty`
  /// file, or as YAML 1.2 with merge keys expanded (anything else).
  static func parse(_ bytes: [UInt8], path: String, location: String) throws -> JSONValue {
    if path.lowercased().hasSuffix(".json") { return try JSONFile.parse(bytes, file: location) }
    if FrontMatter.isPromptFile(path) { return try FrontMatter.parse(bytes, file: location) }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Diagnostic.notUTF8(bytes, file: location)
    }
    return try YAMLLoader.load(text, file: location, mergeKeys: true)
  }

  /// The object id (SHA-256) a Git LFS pointer names, or nil when `bytes` are not a pointer.
  static func lfsObjectID(_ bytes: [UInt8]) -> String? {
    let header = "version https://git-lfs.github.com/spec/v1\n"
    guard bytes.count < 1024, bytes.starts(with: header.utf8),
      let text = String(validating: bytes, as: UTF8.self)
    else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("oid sha256:") {
      let oid = line.dropFirst("oid sha256:".count)
      if oid.utf8.count == 64,
        oid.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
      {
        return String(oid)
      }
    }
    return nil
  }
}
