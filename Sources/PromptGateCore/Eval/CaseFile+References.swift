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
}
