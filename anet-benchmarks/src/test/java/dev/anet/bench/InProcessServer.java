package dev.anet.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code server} command run in-process on its own thread, for the tests of the driving
 * commands.
 */
final class InProcessServer {

	private final ServerCommand server = new ServerCommand();

	private final StringWriter out = new StringWriter();

	private final StringWriter err = new StringWriter();

	private final AtomicInteger exit = new AtomicInteger(-1);

	private Thread thread;

	/**
	 * Start the server and wait for its {@code listening PORT} line.
	 * @param flags the server's flags
	 */
	void start(String... flags) {
		CommandLine commandLine = new CommandLine(this.server);
		commandLine.setOut(new PrintWriter(this.out, true));
		commandLine.setErr(new PrintWriter(this.err, true));
		this.thread = new Thread(() -> this.exit.set(commandLine.execute(flags)), "test-server");
		this.thread.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.boundPort() > 0 || this.exit.get() >= 0);
		assertThat(this.server.boundPort()).as(this.err::toString).isPositive();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.out.toString().equals("listening " + this.server.boundPort() + System.lineSeparator()));
	}

	String port() {
		return String.valueOf(this.server.boundPort());
	}

	/**
	 * Stop the server (harmless if it never started) and wait for its thread.
	 * @return the command's exit code, or -1 if it never ran
	 * @throws InterruptedException if interrupted while waiting
	 */
	int stop() throws InterruptedException {
		this.server.stop();
		if (this.thread != null) {
			this.thread.join(10_000);
			assertThat(this.thread.isAlive()).isFalse();
		}
		return this.exit.get();
	}

}
