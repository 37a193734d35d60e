import PromptGateCLI

CommandRunner.prepareProcess()
await PromptGateCommand.multiCall(CommandLine.arguments)
