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
			throw new IllegalArgumentException(option + " must be greater than 0 but was " + value);
		}
		return value;
	}

	public static Duration notNegative(String option, Duration value) {
		Objects.requireNonNull(value, () -> option + " must not be null");
		if (value.isNegative()) {
			throw new IllegalArgumentException(option + " must not be negative but was " + value);
		}
		return value;
	}

	public static <T> T notNull(String option, T value) {
		return Objects.requireNonNull(value, () -> option + " must not be null");
	}

}
