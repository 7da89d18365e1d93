package dev.anet.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke tests of the {@code observations} command (about two seconds; the measured runs are in the
 * module's README): it starts its child server, runs each mode's phases, prints one line per phase
 * and the medians, and exits 0.
 */
class ObservationsCommandTests {

	@Test
	void whenTheModesRunInAlternationThenEachPhaseAndTheMediansArePrinted() {
		CommandRun run = observations("--modes", "off,busy-2000,starter", "--rounds", "2", "--warmup-rounds", "1",
				"--phase-seconds", "0.3", "--callers", "4", "--connections", "2");
		assertThat(run.exit()).as(run.err()).isZero();
		String rps = " +[0-9,]+ rps +[0-9.]+ us CPU per send";
		// round 1 starts with the first mode, round 2 with the second: the order rotates
		assertThat(run.out()).containsPattern("round 1 off" + rps + "\\R+round 1 busy-2000" + rps + "\\R+round 1 starter" + rps)
			.containsPattern("round 2 busy-2000" + rps + "\\R+round 2 starter" + rps + "\\R+round 2 off" + rps)
			.containsPattern("\\Roff +[0-9,]+ +1\\.000 +[0-9.]+\\R")
			.containsPattern("\\Rbusy-2000 +[0-9,]+ +[0-9.]+ +[0-9.]+\\R")
			.containsPattern("\\Rstarter +[0-9,]+ +[0-9.]+ +[0-9.]+\\R")
			.contains("errors: 0");
		// warm-up rounds are not printed
		assertThat(run.out()).doesNotContain("round 3").doesNotContain("round 0");
	}

	@Test
	void whenAModeIsUnknownThenTheCommandExitsTwoAndNamesTheModes() {
		CommandRun run = observations("--modes", "off,starterr");
		assertThat(run.exit()).isEqualTo(2);
		assertThat(run.err()).contains("unknown mode 'starterr'").contains("starter-without-long-task-timer")
			.contains("busy-<nanoseconds>");
		assertThat(observations("--modes", "busy-x").exit()).isEqualTo(2);
		assertThat(observations("--rounds", "0").exit()).isEqualTo(2);
	}

	private static CommandRun observations(String... flags) {
		return CommandRun.of("observations", flags);
	}

}
