package dev.anet.boot.test;

import java.time.Duration;

/**
 * Durations in messages as a user writes them: {@code 500ms}, {@code 2s}, not {@code PT0.5S}.
 */
final class Durations {

	private Durations() {
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 == 0 && millis != 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

}
