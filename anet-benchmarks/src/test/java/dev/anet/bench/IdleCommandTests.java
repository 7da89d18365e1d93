package dev.anet.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
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

	private final InProcessServer server = new InProcessServer();

	@AfterEach
	void stopServer() throws InterruptedException {
		this.server.stop();
	}

	@Test
	void whenFiftyIdleConnectionsAreHeldUnderLoadThenEveryOneAnswersAtTheEnd() {
		startServer("--port", "0");
		CommandRun run = idle("--port", port(), "--connections", "50", "--load-requests", "2000", "--load-concurrency", "8",
				"--load-connections", "2", "--hold-seconds", "0.2", "--max-seconds", "30");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 50, 50, 50, 0, 0, 2000) + System.lineSeparator());
		assertThat(run.err()).contains("idle: opened 50 (of 50)").contains("idle: holding 50 connections");
	}

	@Test
	void whenTheServerClosesConnectionsOverMaxConnsThenIdleCountsThemLostAndExitsOne() {
		startServer("--port", "0", "--max-conns", "30");
		CommandRun run = idle("--port", port(), "--connections", "50", "--load-requests", "0", "--timeout", "5s",
				"--max-seconds", "30");
		assertThat(run.exit()).isEqualTo(1);
		assertThat(run.out()).matches(String.format(JSON, 50, 50, 30, 20, 20, 0) + System.lineSeparator());
	}

	@Test
	void whenVirtualThreadsAreAvailableThenTheServerHoldsIdleConnectionsOnThem() {
		assumeTrue(VirtualThreads.available(), "needs JDK 21+");
		startServer("--port", "0", "--virtual-threads");
		CommandRun run = idle("--port", port(), "--connections", "50", "--load-requests", "2000", "--max-seconds", "30");
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
		CommandRun run = idle("--host", "192.0.2.1", "--port", "9000");
		assertThat(run.exit()).isEqualTo(2);
		assertThat(run.err()).contains("refusing non-loopback --host 192.0.2.1");
	}

	private void startServer(String... flags) {
		this.server.start(flags);
	}

	private String port() {
		return this.server.port();
	}

	private static CommandRun idle(String... flags) {
		return CommandRun.of("idle", flags);
	}

}
