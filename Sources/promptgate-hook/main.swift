import PromptGateCLI

CommandRunner.prepareProcess()
await HookCommand.entry(Array(CommandLine.arguments.dropFirst()))
