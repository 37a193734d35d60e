/// promptfoo's `tests: file://...`: a path or a glob (relative to the config), alone or in a
/// list with inline tests, naming YAML, JSON, JSONL or CSV files of tests.
extension CaseFile {
  /// The tests in the files `reference` names, each keeping its own file and lines.
  static func referencedSources(
    _ reference: String, at line: Int, file: String, baseDirectory: String, tree: CaseTree?,
    problems: inout [Diagnostic]
  ) -> [CaseSource] {
    func refuse(_ message: String, fix: String) -> [CaseSource] {
      problems.append(Diagnostic(file: file, line: line, message, fix: fix))
      return []
    }
    guard let tree else {
      return refuse(
        "tests: file://\(reference) can only be read from a repository",
        fix: "run it through an eval set, whose cases are read from the head's tree")
    }
    let lower = reference.lowercased()
    if [".js", ".cjs", ".mjs", ".ts", ".py"].contains(where: lower.hasSuffix)
      || lower.contains(".py:") || lower.contains(".js:")
    {
      return refuse(
        "tests: file://\(reference) generates tests by running code; PromptGate does not run it",
        fix: "write the tests it makes into a YAML, JSON, JSONL or CSV file and name that")
    }
    let paths: [String]
    do {
      paths = try tree.paths(reference, in: baseDirectory)
    } catch {
      return refuse("tests: \(error.message)", fix: error.fix)
    }
    var sources: [CaseSource] = []
    for path in paths {
      let location = tree.location(path)
      guard let bytes = (try? tree.read(path)) ?? nil else {
        problems.append(
          Diagnostic(file: location, "cannot be read", fix: "check that the file is committed"))
        continue
      }
      var nestedDefault: CaseSource?
      do {
        let (found, _) = try Self.sources(
          bytes, file: location, defaultTest: &nestedDefault, problems: &problems)
        if let nestedDefault {
          problems.append(
            Diagnostic(
              file: location, line: nestedDefault.line,
              "a tests file's defaultTest is not applied by promptfoo",
              fix: "move it into the config that names this file"))
        }
        sources += found.map { source in
          var source = source
          source.location = location
          return source
        }
      } catch {
        problems.append(
          Diagnostic(
            file: file, line: line,
            "tests: \(tree.location(path)) is not a file of tests PromptGate reads",
            fix: "name .yaml, .yml, .json, .jsonl or .csv files"))
      }
    }
    return sources
  }

  /// promptfoo's `defaultTest: file://defaults.yaml`: a YAML or JSON mapping of defaults.
  static func referencedDefaultTest(
    _ reference: String, at line: Int, file: String, baseDirectory: String, tree: CaseTree?,
    problems: inout [Diagnostic]
  ) -> CaseSource? {
    func refuse(_ message: String, fix: String) -> CaseSource? {
      problems.append(Diagnostic(file: file, line: line, message, fix: fix))
      return nil
    }
    guard let tree else {
      return refuse(
        "defaultTest: file://\(reference) can only be read from a repository",
        fix: "run it through an eval set, whose cases are read from the head's tree")
    }
    let lower = reference.lowercased()
    guard [".yaml", ".yml", ".json"].contains(where: lower.hasSuffix),
      !CaseTree.isPattern(reference)
    else {
      return refuse(
        "defaultTest: file://\(reference) is not a YAML or JSON file",
        fix: "name one .yaml, .yml or .json file holding a mapping of defaults")
    }
    let path: String
    do {
      guard let found = try tree.paths(reference, in: baseDirectory).first else { return nil }
      path = found
    } catch {
      return refuse("defaultTest: \(error.message)", fix: error.fix)
    }
    let location = tree.location(path)
    guard let bytes = (try? tree.read(path)) ?? nil else {
      return refuse("cannot read \(location)", fix: "check that the file is committed")
    }
    // Read the file as a one-test list, so that its keys and assertions keep their lines.
    var wrapped: CaseSource?
    let value: JSONValue
    if lower.hasSuffix(".json") {
      do {
        value = try JSONFile.parse(bytes, file: location)
      } catch {
        problems.append(error)
        return nil
      }
      wrapped = CaseSource(value: value, line: 1, position: 0)
    } else {
      guard let text = String(validating: bytes, as: UTF8.self) else {
        problems.append(Diagnostic(file: location, "is not UTF-8 text", fix: "save it as UTF-8"))
        return nil
      }
      do {
        if let node = try YAMLLoader.compose(text, file: location) {
          wrapped = caseSource(node, position: 0, file: location, problems: &problems)
        }
      } catch {
        problems.append(error)
        return nil
      }
    }
    guard var source = wrapped, case .object = source.value else {
      problems.append(
        Diagnostic(
          file: location, "a defaultTest file must hold a mapping (vars, assert, options, ...)"))
      return nil
    }
    source.location = location
    return checkedDefaultTest(source, file: location, problems: &problems)
  }
}
