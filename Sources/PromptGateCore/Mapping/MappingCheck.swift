/// What `promptgate check-config` checks at one side beyond parsing the mapping: each behavior's
/// sources against the side's files, each eval set's cases and assertions against its
/// settings, and its `files:` as the gate reads them.
public enum MappingCheck {
  /// Every problem at `state`, errors and warnings, in file and line order.
  ///
  /// A non-optional source that matches nothing is a warning (a behavior may be absent on
  /// purpose); a pointer into an existing file that names a missing key is an error, as are
  /// cases that do not parse, assertions the set cannot run, and `files:` the gate refuses.
  /// `keep` is given each set's cases once checked: a command that ends right after can keep
  /// them rather than free a large file's cases one by one (a twentieth of checking 200,000).
  public static func problems(
    at state: SideState, keep: ([EvalCase]) -> Void = { _ in }
  ) -> [Diagnostic] {
    guard let mapping = state.mapping else { return [] }
    var found: [Diagnostic] = []
    for (index, definition) in mapping.behaviors.enumerated() {
      // A present behavior found every source it requires: its sources have no problem to
      // report (a large mapping's hundred thousand need not be looked up again).
      if index < state.behaviors.count, state.behaviors[index].name == definition.name,
        case .present = state.behaviors[index].state
      {
        continue
      }
      found += sourceProblems(definition, file: mapping.file, at: state)
    }
    for set in mapping.evalSets {
      do {
        let cases = try GatePlanner.cases(of: set, at: state)
        if let ignored = CaseFile.ignoredFieldsWarning(
          cases, file: state.snapshot.location(of: set.cases))
        {
          found.append(ignored)
        }
        found += set.configurationProblems(
          cases: cases, casesFile: state.snapshot.location(of: set.cases), mappingFile: mapping.file
        )
        keep(cases)
      } catch {
        found += diagnostics(error, file: state.snapshot.location(of: set.cases))
      }
      do {
        // The gate reads `files:` this way (following symlinks): a link it refuses is refused
        // here with the same message.
        _ = try Materializer.harnessDigest(set, at: state)
      } catch {
        found += diagnostics(error, file: mapping.file)
      }
    }
    return found
  }

  static func sourceProblems(_ definition: BehaviorDefinition, file: String, at state: SideState)
    -> [Diagnostic]
  {
    var found: [Diagnostic] = []
    for component in Component.allCases {
      guard let source = definition.sources[component], !source.isOptional else { continue }
      let mark = definition.sourceMarks[component]
      var label: String { "behaviors.\(definition.name).\(component.rawValue)" }
      do {
        guard case .nothing(let reason) = try state.resolver.memoizedResolve(source, for: component)
        else { continue }
        if case .pointer(let path, let pointer) = source.form,
          let document = try state.resolver.document(at: path)
        {
          found.append(
            Diagnostic(
              file: file, line: mark?.line, column: mark?.column,
              "\(label): the pointer \(Diagnostic.quote(pointer.description)) names nothing in "
                + "\(state.snapshot.location(of: path)) at \(state.side): \(reason)",
              fix: pointerFix(pointer, in: document)))
        } else {
          found.append(
            Diagnostic(
              file: file, line: mark?.line, column: mark?.column,
              "\(label): \(Diagnostic.quote(source.description)) matches nothing at "
                + "\(state.side) (\(reason)), so behavior \(Diagnostic.quote(definition.name)) "
                + "is absent there",
              fix:
                "add what it names, correct the source, or mark it `optional: true`; nothing to "
                + "do if the behavior is absent on purpose",
              severity: .warning))
        }
      } catch {
        found += diagnostics(error, file: file)
      }
    }
    return found
  }

  /// What to write instead of a pointer that names a missing key: the keys where it stopped.
  static func pointerFix(_ pointer: JSONPointer, in document: JSONValue) -> String {
    guard case .failure(let miss) = pointer.resolve(in: document),
      case .success(let reached) = miss.found.resolve(in: document)
    else { return "correct the pointer, or mark the source `optional: true`" }
    let place =
      miss.found.tokens.isEmpty ? "the top level" : Diagnostic.quote(miss.found.description)
    switch reached {
    case .object(let members) where !members.isEmpty:
      let keys = members.keys.sorted()
      let shown = keys.prefix(10).map(Diagnostic.quote).joined(separator: ", ")
      let more = keys.count > 10 ? ", …" : ""
      let guess =
        MappingParser.suggestion(for: miss.token, among: keys).map { $0 + " " } ?? ""
      return "\(guess)the keys at \(place) are \(shown)\(more); or mark the source `optional: true`"
    case .array(let list):
      return
        "\(place) is a list of \(list.count); index it from 0, or mark the source `optional: true`"
    default:
      return
        "\(place) is \(reached.typeName), not a mapping; shorten the pointer, or mark the source `optional: true`"
    }
  }

  static func diagnostics(_ error: any Error, file: String) -> [Diagnostic] {
    switch error {
    case let many as Diagnostics: return many.items
    case let one as Diagnostic: return [one]
    default: return [Diagnostic(file: file, "\(error)")]
    }
  }
}

extension EvalSetDefinition {
  /// Problems that make the set unable to run, found in its cases: an `llm-rubric` assertion
  /// without a `judge`. Each is a configuration error (exit 2) in `check-config` and in the
  /// gate's planning, never "not evaluated".
  public func configurationProblems(cases: [EvalCase], casesFile: String, mappingFile: String)
    -> [Diagnostic]
  {
    guard run.judge == nil else { return [] }
    let rubrics = cases.filter { evalCase in
      evalCase.assertions.contains {
        if case .rubric = $0.kind { return true } else { return false }
      }
    }
    guard let first = rubrics.first else { return [] }
    let others = rubrics.count > 1 ? " (and \(rubrics.count - 1) more cases)" : ""
    return [
      Diagnostic(
        file: casesFile, line: first.line,
        "case \(Diagnostic.quote(first.id))\(others) uses llm-rubric, but eval set "
          + "\(Diagnostic.quote(name)) has no `judge` to grade it",
        fix:
          "add `judge: {provider: NAME, model: MODEL}` to evalSets.\(name) in \(mappingFile)"
          + (mark.map { " (line \($0.line))" } ?? "") + ", or use another assertion")
    ]
  }
}
