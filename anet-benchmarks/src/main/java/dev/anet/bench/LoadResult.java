package dev.anet.bench;

import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * What one load phase measured, printed as the reference peers' JSON line.
 *
 * @param requests requests finished (ok or failed)
 * @param errors requests that failed
 * @param nanos how long the phase took
 * @param latency round-trip times of the successful requests, in nanoseconds
 */
record LoadResult(long requests, long errors, long nanos, Histogram latency) {

	/** The line a driver that cannot connect prints: 0 requests, 1 error. */
	static LoadResult cannotConnect() {
		return new LoadResult(0, 1, 0, new Histogram(3));
	}

	/**
	 * Return the JSON line, latencies in microseconds, rps = successful replies per second.
	 * @param peer the peer's name
	 * @return one line of JSON
	 */
	String json(String peer) {
		double seconds = this.nanos / 1e9;
		double rps = (seconds > 0) ? (this.requests - this.errors) / seconds : 0;
		return String.format(Locale.ROOT,
				"{\"peer\":\"%s\",\"requests\":%d,\"errors\":%d,\"seconds\":%.3f,\"rps\":%.1f,"
						+ "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f}",
				peer, this.requests, this.errors, seconds, rps, micros(50), micros(90), micros(99), micros(99.9),
				this.latency.getMaxValue() / 1e3);
	}

	private double micros(double percentile) {
		return (this.latency.getTotalCount() == 0) ? 0 : this.latency.getValueAtPercentile(percentile) / 1e3;
	}

}
