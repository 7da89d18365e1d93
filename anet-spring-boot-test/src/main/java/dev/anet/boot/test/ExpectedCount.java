package dev.anet.boot.test;

/**
 * How many requests an expectation of a {@link MockAnetServer} takes: at least {@code min}, at
 * most {@code max}.
 *
 * <pre class="code">
 * import static dev.anet.boot.test.ExpectedCount.times;
 *
 * server.expect(times(3), prefix("A0")).andRespond("A100");
 * </pre>
 */
public final class ExpectedCount {

	private final int min;

	private final int max;

	private ExpectedCount(int min, int max) {
		if (min < 0 || max < min || max == 0) {
			throw new IllegalArgumentException(
					"count must be 0 <= min <= max and max > 0 but was min=" + min + ", max=" + max);
		}
		this.min = min;
		this.max = max;
	}

	/**
	 * Exactly once (the default of {@link MockAnetServer#expect(AnetRequestMatcher)}).
	 * @return the count
	 */
	public static ExpectedCount once() {
		return times(1);
	}

	/**
	 * Exactly {@code count} times.
	 * @param count at least 1
	 * @return the count
	 */
	public static ExpectedCount times(int count) {
		return new ExpectedCount(count, count);
	}

	/**
	 * Between {@code min} and {@code max} times.
	 * @param min at least 0
	 * @param max at least {@code min} and 1
	 * @return the count
	 */
	public static ExpectedCount between(int min, int max) {
		return new ExpectedCount(min, max);
	}

	/**
	 * Any number of times, also none.
	 * @return the count
	 */
	public static ExpectedCount manyTimes() {
		return new ExpectedCount(0, Integer.MAX_VALUE);
	}

	int min() {
		return this.min;
	}

	int max() {
		return this.max;
	}

	@Override
	public String toString() {
		if (this.min == this.max) {
			return this.min + " time" + ((this.min == 1) ? "" : "s");
		}
		if (this.max == Integer.MAX_VALUE) {
			return (this.min == 0) ? "any number of times" : "at least " + this.min + " times";
		}
		return "between " + this.min + " and " + this.max + " times";
	}

}
