import PromptGateCLI

PromptGateCommand.main(Array(CommandLine.arguments.dropFirst()))
