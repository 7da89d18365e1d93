package dev.anet.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks for the configuration builders: each failure names the option and the value.
 * Internal: not part of the public API.
 */
public final class Checks {

	private Checks() {
	}

	public static int positive(String option, int value) {
		if (value <= 0) {
			throw new IllegalArgumentException(option + " must be greater than 0 but was " + value);
		}
		return value;
	}

	public static int notNegative(String option, int value) {
		if (value < 0) {
			throw new IllegalArgumentException(option + " must not be negative but was " + value);
		}
		return value;
	}

	public static Duration positive(String option, Duration value) {
		Objects.requireNonNull(value, () -> option + " must not be null");
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(option + " must be greater than 0 but was " + format(value));
		}
		return value;
	}

	public static Duration notNegative(String option, Duration value) {
		Objects.requireNonNull(value, () -> option + " must not be null");
		if (value.isNegative()) {
			throw new IllegalArgumentException(option + " must not be negative but was " + format(value));
		}
		return value;
	}

	/**
	 * Format a duration as a user writes it: {@code 5s}, {@code 500ms}, {@code 1500ns}, not
	 * {@code PT0.5S}.
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(Duration duration) {
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.toSeconds() + "s";
		}
		if (nanos % 1_000_000 != 0) {
			return nanos + "ns";
		}
		long millis = nanos / 1_000_000;
		return (millis != 0 && millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	public static <T> T notNull(String option, T value) {
		return Objects.requireNonNull(value, () -> option + " must not be null");
	}

}
