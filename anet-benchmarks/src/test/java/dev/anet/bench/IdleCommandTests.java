package dev.anet.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Smoke tests of the {@code idle} command (the client of {@code scale.sh}) against the
 * {@code server} command, both in-process: a few dozen connections instead of 10,000.
 */
class IdleCommandTests {

	private static final String JSON = "\\{\"connections\":%d,\"opened\":%d,\"open_seconds\":[0-9.]+,\"verified\":%d,"
			+ "\"lost\":%d,\"echo_failed\":%d,\"unchecked\":0,\"load_requests\":%d,\"load_errors\":0,\"load_seconds\":[0-9.]+,\"load_rps\":[0-9.]+,"
			+ "\"held_seconds\":[0-9.]+,\"jdk\":\"[^\"]+\"}";

	private final ServerCommand server = new ServerCommand();

	private final StringWriter serverOut = new StringWriter();

	private final StringWriter serverErr = new StringWriter();

	private final AtomicInteger serverExit = new AtomicInteger(-1);

	private Thread serverThread;

	@AfterEach
	void stopServer() throws InterruptedException {
		this.server.stop();
		if (this.serverThread != null) {
			this.serverThread.join(10_000);
			assertThat(this.serverThread.isAlive()).isFalse();
		}
	}

	@Test
	void whenFiftyIdleConnectionsAreHeldUnderLoadThenEveryOneAnswersAtTheEnd() {
		startServer("--port", "0");
		Run run = idle("--port", port(), "--connections", "50", "--load-requests", "2000", "--load-concurrency", "8",
				"--load-connections", "2", "--hold-seconds", "0.2", "--max-seconds", "30");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 50, 50, 50, 0, 0, 2000) + System.lineSeparator());
		assertThat(run.err()).contains("idle: opened 50 (of 50)").contains("idle: holding 50 connections");
	}

	@Test
	void whenTheServerClosesConnectionsOverMaxConnsThenIdleCountsThemLostAndExitsOne() {
		startServer("--port", "0", "--max-conns", "30");
		Run run = idle("--port", port(), "--connections", "50", "--load-requests", "0", "--timeout", "5s",
				"--max-seconds", "30");
		assertThat(run.exit()).isEqualTo(1);
		assertThat(run.out()).matches(String.format(JSON, 50, 50, 30, 20, 20, 0) + System.lineSeparator());
	}

	@Test
	void whenVirtualThreadsAreAvailableThenTheServerHoldsIdleConnectionsOnThem() {
		assumeTrue(VirtualThreads.available(), "needs JDK 21+");
		startServer("--port", "0", "--virtual-threads");
		Run run = idle("--port", port(), "--connections", "50", "--load-requests", "2000", "--max-seconds", "30");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 50, 50, 50, 0, 0, 2000) + System.lineSeparator());
	}

	@Test
	void whenVirtualThreadsAreNotAvailableThenTheServerSaysWhichJdkIsNeeded() {
		assumeFalse(VirtualThreads.available(), "JDK 21+ has virtual threads");
		CommandLine commandLine = new CommandLine(new ServerCommand());
		StringWriter err = new StringWriter();
		commandLine.setErr(new PrintWriter(err, true));
		assertThat(commandLine.execute("--port", "0", "--virtual-threads")).isEqualTo(2);
		assertThat(err.toString()).contains("--virtual-threads needs JDK 21 or later");
	}

	@Test
	void whenTheHostIsNotLoopbackThenIdleRefusesWithExitTwo() {
		Run run = idle("--host", "192.0.2.1", "--port", "9000");
		assertThat(run.exit()).isEqualTo(2);
		assertThat(run.err()).contains("refusing non-loopback --host 192.0.2.1");
	}

	private void startServer(String... flags) {
		CommandLine commandLine = new CommandLine(this.server);
		commandLine.setOut(new PrintWriter(this.serverOut, true));
		commandLine.setErr(new PrintWriter(this.serverErr, true));
		this.serverThread = new Thread(() -> this.serverExit.set(commandLine.execute(flags)), "idle-test-server");
		this.serverThread.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.boundPort() > 0 || this.serverExit.get() >= 0);
		assertThat(this.server.boundPort()).as(this.serverErr::toString).isPositive();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.serverOut.toString().equals("listening " + this.server.boundPort() + System.lineSeparator()));
	}

	private String port() {
		return String.valueOf(this.server.boundPort());
	}

	private static Run idle(String... flags) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		CommandLine commandLine = AnetBench.commandLine();
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		String[] args = new String[flags.length + 1];
		args[0] = "idle";
		System.arraycopy(flags, 0, args, 1, flags.length);
		int exit = commandLine.execute(args);
		return new Run(exit, out.toString(), err.toString());
	}

	private record Run(int exit, String out, String err) {
	}

}
