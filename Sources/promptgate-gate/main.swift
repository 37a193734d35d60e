import PromptGateCLI

CommandRunner.prepareProcess()
await GateCommand.entry(Array(CommandLine.arguments.dropFirst()))
