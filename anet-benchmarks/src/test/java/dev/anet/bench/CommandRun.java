package dev.anet.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/**
 * One in-process run of an {@code anet-benchmarks} subcommand, with what it printed.
 *
 * @param exit the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record CommandRun(int exit, String out, String err) {

	/**
	 * Run a subcommand through picocli, as the jar's main would.
	 * @param command the subcommand ({@code load}, {@code soak}, {@code idle}, ...)
	 * @param flags its flags
	 * @return the run
	 */
	static CommandRun of(String command, String... flags) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		CommandLine commandLine = AnetBench.commandLine();
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		String[] args = new String[flags.length + 1];
		args[0] = command;
		System.arraycopy(flags, 0, args, 1, flags.length);
		int exit = commandLine.execute(args);
		return new CommandRun(exit, out.toString(), err.toString());
	}

}
