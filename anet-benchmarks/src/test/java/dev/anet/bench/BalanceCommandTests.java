package dev.anet.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests of the {@code balance} command (the measured runs are in the module's README): one
 * JSON line per policy, with each server's share of the requests.
 */
class BalanceCommandTests {

	private static final String LINE = "\\{\"balancing\":\"%s\",\"slow_ms\":1,\"shares\":\\[[0-9.]+,[0-9.]+,[0-9.]+],"
			+ "\"peer\":\"anet\",\"requests\":2000,\"errors\":0,.*}";

	@Test
	void whenBothPoliciesRunThenBalancePrintsALineForEachAndExitsZero() {
		CommandRun run = CommandRun.of("balance", "--requests", "2000", "--warmup", "200", "--slow-ms", "1",
				"--concurrency", "8", "--connections", "2", "--max-seconds", "30");

		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out().split(System.lineSeparator())).satisfiesExactly(
				(line) -> assertThat(line).matches(String.format(LINE, "round-robin")),
				(line) -> assertThat(line).matches(String.format(LINE, "least-in-flight")));
	}

	@Test
	void whenAFlagIsBadThenBalanceExitsTwo() {
		assertThat(CommandRun.of("balance", "--servers", "1").exit()).isEqualTo(2);
		assertThat(CommandRun.of("balance", "--balancing", "random").exit()).isEqualTo(2);
	}

}
