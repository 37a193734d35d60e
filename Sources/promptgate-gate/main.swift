import PromptGateCLI

await GateCommand.entry(Array(CommandLine.arguments.dropFirst()))
