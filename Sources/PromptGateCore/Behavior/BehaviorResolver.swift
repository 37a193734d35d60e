import Foundation
import GitKit

/// Computes behavior versions at one side: reads each source from a snapshot and hashes it.
///
/// Data files that several components point into are read and parsed once.
public final class BehaviorResolver {
  /// The side being read.
  public let snapshot: Snapshot
  private var documents: [String: JSONValue] = [:]
  /// Paths that symlinks among the sources pointed to: content outside the declared paths that
  /// still decides a version, which a history walk must watch too.
  public internal(set) var symlinkTargets: Set<String> = []
  /// How many symlinks resolution has followed.
  var followedSymlinks = 0
  /// What each source resolved to at this side, and whether that followed a symlink.
  private var resolvedHere:
    [ContentCache.ResolutionKey: (outcome: Outcome, followedSymlink: Bool)] =
      [:]

  let cache: ContentCache
  /// Whether a file set's ``ResolvedComponent/files`` lists its files; when false they are
  /// empty, and only the set's digest is known. A history walk wants versions only, and
  /// copying a list of hundreds of files at each commit it resolves (and releasing it later)
  /// was a tenth of its first walk.
  let listsFiles: Bool

  /// Creates a resolver over `snapshot`, sharing `cache` with other resolvers of the repository;
  /// without `listsFiles`, file-set components carry no list of their files.
  public init(snapshot: Snapshot, cache: ContentCache = ContentCache(), listsFiles: Bool = true) {
    self.snapshot = snapshot
    self.cache = cache
    self.listsFiles = listsFiles
  }

  /// The behavior's state at this side; throws a ``Diagnostic`` when a source cannot be read.
  public func resolve(_ definition: BehaviorDefinition) throws -> BehaviorState {
    var version = BehaviorVersion()
    var components = ComponentTable(declared: definition.sources.count)
    for component in Component.allCases {
      guard let source = definition.sources[component] else { continue }
      switch try memoizedResolve(source, for: component) {
      case .found(let resolved):
        components[component] = resolved
        version.set(component, resolved.value)
      case .nothing(let reason):
        if !source.isOptional {
          return .absent(Absence(component: component, source: source.description, reason: reason))
        }
      }
    }
    return .present(
      ResolvedBehavior(name: definition.name, version: version, components: components))
  }

  /// ``resolve(_:for:)``, remembered for this side (several behaviors, and the mapping check
  /// after them, often name one source) and across commits by the object ids at the source's
  /// watched paths. Not remembered across commits on sides that cannot name those objects, nor
  /// when a symlink was followed (its target may lie outside the watched paths).
  func memoizedResolve(_ source: Source, for component: Component) throws -> Outcome {
    // A literal name or number reads and hashes nothing: putting it in the memo would cost
    // more than resolving it again (a large mapping names a model in every behavior).
    if case .value = source.form, component.kind != .digest {
      return try resolve(source, for: component)
    }
    let here = ContentCache.ResolutionKey(
      source: source, component: component, objects: [], listsFiles: listsFiles)
    if let known = resolvedHere[here] {
      if known.followedSymlink { followedSymlinks += 1 }
      return known.outcome
    }
    let followed = followedSymlinks
    let outcome = try sharedResolve(source, for: component)
    resolvedHere[here] = (outcome, followedSymlinks != followed)
    return outcome
  }

  private func sharedResolve(_ source: Source, for component: Component) throws -> Outcome {
    var objects: [ObjectLookup] = []
    for glob in source.watchedPatterns where !glob.isNegated {
      let lookup = try snapshot.objectID(at: glob.searchRoot)
      if lookup == .unknown { return try resolve(source, for: component) }
      objects.append(lookup)
    }
    let key = ContentCache.ResolutionKey(
      source: source, component: component, objects: objects, listsFiles: listsFiles)
    if let known = cache.resolution(key) { return known }
    let followed = followedSymlinks
    let outcome = try resolve(source, for: component)
    if followedSymlinks == followed { cache.keep(outcome, for: key) }
    return outcome
  }

  enum Outcome {
    case found(ResolvedComponent)
    case nothing(String)
  }

  func resolve(_ source: Source, for component: Component) throws -> Outcome {
    switch source.form {
    case .files(let globs):
      let (files, count, digest) = try hashedFileSet(
        globs, component: component, body: source.hashesBody)
      guard count > 0 else { return .nothing("no file matches") }
      return .found(
        ResolvedComponent(
          value: .string(digest), files: files, selected: nil, inputs: []))
    case .pointer(let file, let pointer):
      guard let document = try document(at: file) else { return .nothing("\(file) does not exist") }
      switch pointer.resolve(in: document) {
      case .failure(let miss):
        let place = miss.found.steps.isEmpty ? "the document" : "\(miss.found)"
        guard !miss.isAmbiguous else {
          throw Diagnostic(
            file: snapshot.location(of: file),
            "\(pointer): '\(miss.token)' matches \(miss.ambiguousIndices.count) elements of "
              + "\(place) (at \(miss.ambiguousIndices.map(String.init).joined(separator: ", "))); "
              + "it must match one",
            fix: "select by a key whose value is unique in the list, or make the values distinct")
        }
        return .nothing("\(file) has no \(pointer) (no '\(miss.token)' in \(place))")
      case .success(let selected):
        return .found(
          ResolvedComponent(
            value: try fieldValue(
              selected, for: component, at: "\(snapshot.location(of: file))#\(pointer)"),
            files: nil, selected: selected, inputs: [file]))
      }
    case .regex(let file, let pattern, let group):
      guard let entry = try snapshot.entry(at: file) else {
        return .nothing("\(file) does not exist")
      }
      let bytes = try snapshot.contents(of: try follow(entry))
      let location = snapshot.location(of: file)
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw Diagnostic(
          file: location, "is not UTF-8 text, so a regex cannot read it",
          fix: "use a pointer or a file set")
      }
      let expression = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
      let matches = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
      guard !matches.isEmpty else { return .nothing("/\(pattern)/ matches nothing in \(file)") }
      guard matches.count == 1 else {
        let lines = matches.prefix(5).map { line(of: $0.range.location, in: text) }
        throw Diagnostic(
          file: location, line: lines.first,
          "/\(pattern)/ matches \(matches.count) times (lines \(lines.map(String.init).joined(separator: ", "))); it must match once",
          fix: "make the pattern specific to the one place that sets the value")
      }
      let range = matches[0].range(at: group)
      guard range.location != NSNotFound, let captured = Range(range, in: text) else {
        return .nothing("group \(group) of /\(pattern)/ captured nothing in \(file)")
      }
      let selected = JSONValue.string(String(text[captured]))
      return .found(
        ResolvedComponent(
          value: try fieldValue(selected, for: component, at: location), files: nil,
          selected: selected,
          inputs: [file]))
    case .value(let literal):
      return .found(
        ResolvedComponent(
          value: try fieldValue(literal, for: component, at: "the mapping file"), files: nil,
          selected: literal, inputs: []))
    }
  }

  /// The tuple's field for a selected value: a canonical digest, or the coerced name or number.
  private func fieldValue(_ selected: JSONValue, for component: Component, at location: String)
    throws -> JSONValue
  {
    if component.kind == .digest { return .string(try Digest.canonical(selected)) }
    do {
      return try ComponentValue.coerce(selected, for: component)
    } catch {
      throw Diagnostic(file: location, "\(error.reason)", fix: error.fix)
    }
  }

  private func line(of offset: Int, in text: String) -> Int {
    let utf16 = text.utf16
    let end = utf16.index(utf16.startIndex, offsetBy: offset)
    return utf16[..<end].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
  }

  /// The parsed YAML or JSON document at `path`, or nil when there is no file.
  func document(at path: String) throws -> JSONValue? {
    if let cached = documents[path] { return cached }
    guard let entry = try snapshot.entry(at: path) else { return nil }
    let target = try follow(entry)
    if let id = target.id, let cached = cache.documents[id] {
      documents[path] = cached
      return cached
    }
    let value = try StructuredFile.parse(
      try snapshot.contents(of: try follow(entry)), path: path,
      location: snapshot.location(of: path))
    documents[path] = value
    if let id = target.id { cache.documents[id] = value }
    return value
  }
}
