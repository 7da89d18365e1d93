package dev.anet.pool;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnswerTime}: the peak-sensitive moving average that {@link Balancing#LEAST_IN_FLIGHT}
 * weighs requests in flight with.
 */
class AnswerTimeTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	private final AnswerTime time = new AnswerTime();

	@Test
	void whenNothingWasAnsweredThenTheTimeIsUnknown() {
		assertThat(this.time.current(System.nanoTime())).isZero();
	}

	@Test
	void whenAnAnswerIsSlowerThenItIsTakenAtOnce() {
		long now = System.nanoTime();
		this.time.record(now, 1 * MS);
		this.time.record(now, 20 * MS);
		assertThat(this.time.current(now)).isEqualTo(20 * MS);
	}

	@Test
	void whenAnswersAreFasterThenTheAverageMovesAnEighthOfTheWayEachTime() {
		long now = System.nanoTime();
		this.time.record(now, 16 * MS);
		this.time.record(now, 8 * MS);
		assertThat(this.time.current(now)).isEqualTo(15 * MS);
		for (int i = 0; i < 100; i++) {
			this.time.record(now, 8 * MS);
		}
		assertThat(this.time.current(now)).isBetween(8 * MS, 8 * MS + 8);
	}

	@Test
	void whenNothingWasAnsweredForTheStaleTimeThenTheTimeIsUnknownAgain() {
		long now = System.nanoTime();
		long stale = TimeUnit.MILLISECONDS.toNanos(AnswerTime.STALE_MILLIS);
		this.time.record(now, 20 * MS);
		assertThat(this.time.current(now + stale - 1)).isEqualTo(20 * MS);
		assertThat(this.time.current(now + stale)).isZero();
		this.time.record(now + stale, 2 * MS);
		assertThat(this.time.current(now + stale)).as("a new answer after the stale time starts over")
			.isEqualTo(2 * MS);
	}

	@Test
	void whenAnAnswerTookNoMeasurableTimeThenTheTimeIsStillKnown() {
		long now = System.nanoTime();
		this.time.record(now, 0);
		assertThat(this.time.current(now)).isEqualTo(1);
	}

}
