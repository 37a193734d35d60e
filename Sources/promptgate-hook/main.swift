import PromptGateCLI

HookCommand.main(Array(CommandLine.arguments.dropFirst()))
