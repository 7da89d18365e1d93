package dev.anet.pool;

import java.util.concurrent.TimeUnit;

/**
 * A pool's recent answer time, for {@link Balancing#LEAST_IN_FLIGHT}: a peak-sensitive moving
 * average (a slower answer is taken at once, a faster one moves the average an eighth of the way),
 * as Finagle's and Linkerd's "peak EWMA" balancers keep.
 *
 * <p>The broker's readers record every answer; the record is lossy under a race between two
 * readers of the same address (one sample is lost), which a moving average does not mind. A pool
 * that answered nothing for {@value #STALE_MILLIS} ms has no known answer time again, so that an
 * address once slow is tried again and can show that it recovered.
 */
final class AnswerTime {

	/** How long an answer time stays known without a new answer. */
	static final long STALE_MILLIS = 1000;

	private static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS);

	/** 0: unknown. */
	private volatile long averageNanos;

	private volatile long lastNanos;

	/**
	 * Record one answer.
	 * @param nowNanos {@link System#nanoTime()} when it arrived
	 * @param answerNanos how long it took, from the request's send
	 */
	void record(long nowNanos, long answerNanos) {
		long sample = Math.max(1, answerNanos);
		// a stale average is forgotten, so that an address that recovered shows it at its first answer
		long average = current(nowNanos);
		this.averageNanos = (average == 0 || sample >= average) ? sample : average + ((sample - average) >> 3);
		this.lastNanos = nowNanos;
	}

	/**
	 * Return the answer time, or 0 if none is known (no answer yet, or none for a while).
	 * @param nowNanos {@link System#nanoTime()}
	 * @return the moving average in nanoseconds, or 0
	 */
	long current(long nowNanos) {
		long average = this.averageNanos;
		return (average != 0 && nowNanos - this.lastNanos < STALE_NANOS) ? average : 0;
	}

}
