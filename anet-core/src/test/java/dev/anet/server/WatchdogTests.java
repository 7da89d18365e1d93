package dev.anet.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Watchdog}'s tick.
 */
class WatchdogTests {

	@Test
	void tickIsAQuarterOfTheShortestTimeoutThatIsOn() {
		assertThat(tickMillis(Duration.ofMillis(400), Duration.ZERO, Duration.ofSeconds(2))).isEqualTo(100);
		assertThat(tickMillis(Duration.ZERO, Duration.ofMillis(200), Duration.ZERO)).isEqualTo(50);
	}

	@Test
	void tickIsBetweenTenMillisecondsAndOneSecond() {
		assertThat(tickMillis(Duration.ofMillis(8), Duration.ZERO, Duration.ZERO)).isEqualTo(10);
		assertThat(tickMillis(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO)).isEqualTo(1000);
	}

	@Test
	void whenEveryTimeoutIsOffThenThereIsNoTick() {
		assertThat(tickMillis(Duration.ZERO, Duration.ZERO, Duration.ZERO)).isZero();
	}

	private static long tickMillis(Duration readTimeout, Duration writeTimeout, Duration idleTimeout) {
		ServerConfig config = ServerConfig.builder()
			.readTimeout(readTimeout)
			.writeTimeout(writeTimeout)
			.idleTimeout(idleTimeout)
			.build();
		return TimeUnit.NANOSECONDS.toMillis(new Watchdog(List.of(), config).tickNanos());
	}

}
