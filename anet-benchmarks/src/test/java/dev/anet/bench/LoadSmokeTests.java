package dev.anet.bench;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CI smoke test: the {@code server} command on a free port, and the {@code load} command
 * against it, both in-process through picocli (the shaded jar only exists after {@code package}).
 */
class LoadSmokeTests {

	private static final String JSON = "\\{\"peer\":\"anet\",\"requests\":%d,\"errors\":%d,\"seconds\":[0-9.]+,\"rps\":[0-9.]+,"
			+ "\"p50_us\":[0-9.]+,\"p90_us\":[0-9.]+,\"p99_us\":[0-9.]+,\"p999_us\":[0-9.]+,\"max_us\":[0-9.]+}";

	private final InProcessServer server = new InProcessServer();

	@BeforeEach
	void startServer() {
		this.server.start("--port", "0");
	}

	@AfterEach
	void stopServer() throws InterruptedException {
		assertThat(this.server.stop()).isZero();
	}

	@Test
	void whenLoadRunsAThousandVerifiedRequestsThenItPrintsOneJsonLineAndExitsZero() {
		CommandRun run = load("--host", "127.0.0.1", "--port", port(), "--connections", "4", "--concurrency", "16",
				"--requests", "1000", "--size", "64", "--verify", "--max-seconds", "10", "--warmup", "100");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 1000, 0) + System.lineSeparator());
	}

	@Test
	void whenTheAsyncApiIsUsedThenEveryRequestSucceeds() {
		CommandRun run = load("--port", port(), "--requests", "1000", "--verify", "--api", "async", "--timeout", "5s",
				"--max-seconds", "10");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 1000, 0) + System.lineSeparator());
	}

	@Test
	void whenEachCallerKeepsSeveralAsyncRequestsOutstandingThenEveryRequestSucceeds() {
		CommandRun run = load("--port", port(), "--requests", "2000", "--verify", "--api", "async", "--outstanding", "8",
				"--concurrency", "4", "--timeout", "5s", "--max-seconds", "10");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 2000, 0) + System.lineSeparator());
	}

	@Test
	void whenTheCallersAreVirtualThreadsThenEveryRequestSucceeds() {
		assumeTrue(VirtualThreads.available(), "needs JDK 21+");
		CommandRun run = load("--port", port(), "--requests", "1000", "--verify", "--virtual-callers", "--max-seconds", "10");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 1000, 0) + System.lineSeparator());
	}

	@Test
	void whenTheBrokerThreadsAreVirtualThreadsThenEveryRequestSucceeds() {
		assumeTrue(VirtualThreads.available(), "needs JDK 21+");
		CommandRun run = load("--port", port(), "--requests", "1000", "--verify", "--virtual-callers", "--virtual-threads",
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
		CommandRun run = load("--port", String.valueOf(free), "--requests", "10", "--max-seconds", "5");
		assertThat(run.exit()).isEqualTo(1);
		assertThat(run.out()).matches(String.format(JSON, 0, 1) + System.lineSeparator());
		assertThat(run.err()).contains("cannot connect to 127.0.0.1:" + free);
	}

	@Test
	void whenTheHostIsNotLoopbackThenLoadRefusesWithExitTwo() {
		CommandRun run = load("--host", "192.0.2.1", "--port", port());
		assertThat(run.exit()).isEqualTo(2);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).contains("refusing non-loopback --host 192.0.2.1");
	}

	@Test
	void whenAFlagIsUnknownOrBadThenLoadExitsTwo() {
		assertThat(load("--port", port(), "--bogus").exit()).isEqualTo(2);
		assertThat(load("--port", port(), "--size", "65532").exit()).isEqualTo(2);
		assertThat(load("--port", port(), "--timeout", "soon").exit()).isEqualTo(2);
		assertThat(load("--port", port(), "--outstanding", "8").exit()).as("--outstanding without --api async").isEqualTo(2);
		assertThat(load("--port", port(), "--tls", "--tls-impl", "openssl").exit()).isEqualTo(2);
	}

	private String port() {
		return this.server.port();
	}

	private static CommandRun load(String... flags) {
		return CommandRun.of("load", flags);
	}

}
