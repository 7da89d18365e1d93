package dev.anet.bench;


import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Smoke tests of the {@code soak} command (a few seconds; the real soak is 10^7 requests, see the
 * module's README): it runs its own server and broker, prints its one JSON line and exits 0.
 */
class SoakCommandTests {

	private static final String JSON = "\\{\"requests\":%d,\"errors\":0,\"seconds\":[0-9.]+,\"rps\":[0-9.]+,"
			+ "\"heap_start_bytes\":[1-9][0-9]*,\"heap_end_bytes\":[1-9][0-9]*,\"heap_growth_pct\":-?[0-9.]+,"
			+ "\"max_heap_sampled_bytes\":[1-9][0-9]*,\"threads_start\":[1-9][0-9]*,\"threads_end\":[1-9][0-9]*,"
			+ "\"xmx_bytes\":[0-9]+,\"virtual_threads\":%b,\"jdk\":\"[^\"]+\"}";

	@Test
	void whenTwentyThousandVerifiedRequestsRunThenSoakPrintsOneJsonLineAndExitsZero() {
		// the growth bound is loose here: this checks the command, not the heap of a short run in a test JVM
		CommandRun run = soak("--requests", "20000", "--warmup", "2000", "--connections", "4", "--concurrency", "16",
				"--sample-seconds", "0.5", "--max-seconds", "30", "--max-growth-pct", "100");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 20000, false) + System.lineSeparator());
		assertThat(run.err()).contains("soak: start: heap after GC").contains("soak: end: heap after GC");
	}

	@Test
	void whenVirtualThreadsAreAvailableThenSoakRunsOnThem() {
		assumeTrue(VirtualThreads.available(), "needs JDK 21+");
		CommandRun run = soak("--requests", "5000", "--warmup", "500", "--virtual-threads", "--max-seconds", "30",
				"--max-growth-pct", "100");
		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).matches(String.format(JSON, 5000, true) + System.lineSeparator());
	}

	@Test
	void whenVirtualThreadsAreNotAvailableThenSoakSaysWhichJdkIsNeeded() {
		assumeFalse(VirtualThreads.available(), "JDK 21+ has virtual threads");
		CommandRun run = soak("--virtual-threads");
		assertThat(run.exit()).isEqualTo(2);
		assertThat(run.err()).contains("--virtual-threads needs JDK 21 or later");
	}

	@Test
	void whenAFlagIsBadThenSoakExitsTwo() {
		assertThat(soak("--size", "11").exit()).isEqualTo(2);
		assertThat(soak("--requests", "0").exit()).isEqualTo(2);
		assertThat(soak("--host", "192.0.2.1", "--port", "9000").exit()).isEqualTo(2);
	}

	private static CommandRun soak(String... flags) {
		return CommandRun.of("soak", flags);
	}

}
