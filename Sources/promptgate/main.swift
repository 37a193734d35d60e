import PromptGateCLI

await PromptGateCommand.multiCall(CommandLine.arguments)
