package dev.anet.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CI smoke test: the {@code server} command on a free port, and the {@code load} command
 * against it, both in-process through picocli (the shaded jar only exists after {@code package}).
 */
class LoadSmokeTests {

	private static final String JSON = "\\{\"peer\":\"anet\",\"requests\":%d,\"errors\":%d,\"seconds\":[0-9.]+,\"rps\":[0-9.]+,"
			+ "\"p50_us\":[0-9.]+,\"p90_us\":[0-9.]+,\"p99_us\":[0-9.]+,\"p999_us\":[0-9.]+,\"max_us\":[0-9.]+}";

	private final ServerCommand server = new ServerCommand();

	private final StringWriter serverOut = new StringWriter();

	private final AtomicInteger serverExit = new AtomicInteger(-1);

	private Thread serverThread;

	@BeforeEach
	void startServer() {
		CommandLine commandLine = new CommandLine(this.server);
		commandLine.setOut(new PrintWriter(this.serverOut, true));
		this.serverThread = new Thread(() -> this.serverExit.set(commandLine.execute("--port", "0")), "smoke-server");
		this.serverThread.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.boundPort() > 0);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.serverOut.toString().equals("listening " + this.server.boundPort() + System.lineSeparator()));
	}

	@AfterEach
	void stopServer() throws InterruptedException {
		this.server.stop();
		this.serverThread.join(10_000);
		assertThat(this.serverThread.isAlive()).isFalse();
		assertThat(this.serverExit).hasValue(0);
	}

	@Test
	void whenLoadRunsAThousandVerifiedRequestsThenItPrintsOneJsonLineAndExitsZero() {
		Run run = load("--host", "127.0.0.1", "--port", port(), "--connections", "4", "--concurrency", "16",
				"--requests", "1000", "--size", "64", "--verify", "--max-seconds", "10", "--warmup", "100");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 1000, 0) + System.lineSeparator());
	}

	@Test
	void whenTheAsyncApiIsUsedThenEveryRequestSucceeds() {
		Run run = load("--port", port(), "--requests", "1000", "--verify", "--api", "async", "--timeout", "5s",
				"--max-seconds", "10");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 1000, 0) + System.lineSeparator());
	}

	@Test
	void whenNothingListensThenLoadReportsOneErrorAndExitsOne() throws Exception {
		int free;
		try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
			free = ((InetSocketAddress) probe.getLocalAddress()).getPort();
		}
		Run run = load("--port", String.valueOf(free), "--requests", "10", "--max-seconds", "5");
		assertThat(run.exit()).isEqualTo(1);
		assertThat(run.out()).matches(String.format(JSON, 0, 1) + System.lineSeparator());
		assertThat(run.err()).contains("cannot connect to 127.0.0.1:" + free);
	}

	@Test
	void whenTheHostIsNotLoopbackThenLoadRefusesWithExitTwo() {
		Run run = load("--host", "192.0.2.1", "--port", port());
		assertThat(run.exit()).isEqualTo(2);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).contains("refusing non-loopback --host 192.0.2.1");
	}

	@Test
	void whenAFlagIsUnknownOrBadThenLoadExitsTwo() {
		assertThat(load("--port", port(), "--bogus").exit()).isEqualTo(2);
		assertThat(load("--port", port(), "--size", "65532").exit()).isEqualTo(2);
		assertThat(load("--port", port(), "--timeout", "soon").exit()).isEqualTo(2);
	}

	private String port() {
		return String.valueOf(this.server.boundPort());
	}

	private static Run load(String... flags) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		CommandLine commandLine = AnetBench.commandLine();
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		String[] args = new String[flags.length + 1];
		args[0] = "load";
		System.arraycopy(flags, 0, args, 1, flags.length);
		int exit = commandLine.execute(args);
		return new Run(exit, out.toString(), err.toString());
	}

	private record Run(int exit, String out, String err) {
	}

}
