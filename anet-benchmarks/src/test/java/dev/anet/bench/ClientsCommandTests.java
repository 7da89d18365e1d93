package dev.anet.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests of the {@code clients} command (the measured runs are in the module's README): one
 * JSON line with the threads and heap per client.
 */
class ClientsCommandTests {

	private static final String LINE = "\\{\"clients\":2,\"connections_per_client\":2,\"workers_per_client\":1,"
			+ "\"requests_per_client\":200,\"errors\":0,\"threads_per_client\":[0-9.]+,"
			+ "\"client_threads\":\"[^\"]*anet-broker-worker-N 1 -> 3[^\"]*\","
			+ "\"shared_threads\":[12],\"heap_kib_per_client\":-?[0-9.]+,\"direct_kib_per_client\":-?[0-9.]+,\"server_in_jvm\":true,\"jdk\":\"[^\"]+\"}";

	@Test
	void whenTwoClientsAreOpenedThenClientsPrintsTheirThreadsAndHeapAndExitsZero() {
		CommandRun run = CommandRun.of("clients", "--clients", "2", "--connections", "2", "--workers", "1",
				"--requests", "200", "--concurrency", "2");

		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out().trim()).matches(LINE);
	}

	@Test
	void whenAFlagIsBadThenClientsExitsTwo() {
		assertThat(CommandRun.of("clients", "--clients", "0").exit()).isEqualTo(2);
	}

}
