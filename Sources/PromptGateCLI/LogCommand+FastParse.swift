extension LogCommand {
  /// The command for `arguments` when they use only the plain forms of its options (each at
  /// most once, `--name value`, `--name=value`, `-C value`, `-n value`, and at most one range),
  /// with values that need no checking beyond what is done here; nil for anything else (help,
  /// completion, `--`, a value that starts with `-`, a repeat, an invalid value), which the
  /// argument parser then reads as before, with its messages.
  ///
  /// A cached walk finishes in a few milliseconds, and the argument parser's own start (it
  /// reflects over the command's options, and looks for a completion request) was a visible
  /// part of that.
  public static func fastParse(_ arguments: [String]) -> LogCommand? {
    var common = CommonOptions()
    var cache = HistoryCacheOptions()
    var command = LogCommand()
    var config: String?
    var repository: String?
    var store: String?
    var behavior: String?
    var range: String?
    var maxCount: Int?
    var format: OutputFormat?
    var seen: Set<String> = []
    var flags: Set<String> = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.utf8.first == UInt8(ascii: "-") else {
        guard range == nil, !argument.isEmpty, argument != "help" else { return nil }
        range = argument
        continue
      }
      if ["--first-parent", "--reverse", "--no-cache"].contains(argument) {
        guard flags.insert(argument).inserted else { return nil }
        continue
      }
      // An option and its value: `--name value`, `--name=value`, or `-C value` / `-n value`.
      var name = argument
      var value: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
      } else if index < arguments.count {
        value = arguments[index]
        index += 1
      }
      let canonical: String
      switch name {
      case "--config": canonical = "config"
      case "-C", "--repository": canonical = "repository"
      case "--store": canonical = "store"
      case "--behavior": canonical = "behavior"
      case "-n", "--max-count": canonical = "max-count"
      case "--format": canonical = "format"
      default: return nil
      }
      guard let value, let first = value.utf8.first, first != UInt8(ascii: "-"),
        seen.insert(canonical).inserted
      else { return nil }
      switch canonical {
      case "config": config = value
      case "repository": repository = value
      case "store": store = value
      case "behavior": behavior = value
      case "max-count":
        guard value.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let count = Int(value),
          count >= 1
        else { return nil }
        maxCount = count
      default:
        guard let parsed = OutputFormat(rawValue: value) else { return nil }
        format = parsed
      }
    }
    common.config = config
    common.repository = repository
    cache.store = store
    cache.noCache = flags.contains("--no-cache")
    command.common = common
    command.cache = cache
    command.range = range
    command.firstParent = flags.contains("--first-parent")
    command.behavior = behavior
    command.reverse = flags.contains("--reverse")
    command.maxCount = maxCount
    command.format = format ?? .text
    return command
  }
}
