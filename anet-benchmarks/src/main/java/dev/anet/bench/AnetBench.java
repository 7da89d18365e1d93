package dev.anet.bench;

import dev.anet.bench.jmh.ObservationsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The runnable jar's entry point: {@code java -jar anet-benchmarks.jar server|load [flags]}.
 *
 * <p>Exit status: 0 on success, 1 when a load run had errors, 2 for bad flags (as the reference
 * peers do). The JMH suite lives in the same jar: {@code java -cp anet-benchmarks.jar
 * org.openjdk.jmh.Main}.
 */
@Command(name = "anet-benchmarks", mixinStandardHelpOptions = true,
		description = "Runs the anet-core server or the anet-core load driver (flags as the reference peers').",
		subcommands = { ServerCommand.class, LoadCommand.class, SoakCommand.class, IdleCommand.class,
				BalanceCommand.class, ClientsCommand.class, ObservationsCommand.class })
public final class AnetBench {

	private AnetBench() {
	}

	public static void main(String[] args) {
		System.exit(commandLine().execute(args));
	}

	/**
	 * Return the command line of the jar: {@code server} and {@code load}.
	 * @return a new command line
	 */
	public static CommandLine commandLine() {
		CommandLine commandLine = new CommandLine(new AnetBench());
		commandLine.setExecutionStrategy(new CommandLine.RunLast());
		return commandLine;
	}

}
