import PromptGateCLI

GateCommand.main(Array(CommandLine.arguments.dropFirst()))
