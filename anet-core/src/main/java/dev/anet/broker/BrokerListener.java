package dev.anet.broker;

import org.jspecify.annotations.Nullable;

/**
 * Metrics hooks of the broker. Every method is a no-op by default. Gauges (queue size, in-flight
 * count) are read from the {@link Broker} itself. Methods are called on the broker's and the
 * callers' threads and must not block.
 */
public interface BrokerListener {

	/** A listener that records nothing. */
	BrokerListener NONE = new BrokerListener() {
	};

	/**
	 * A request ended.
	 * @param outcome how
	 * @param nanos from the call to the outcome
	 */
	default void requestCompleted(RequestOutcome outcome, long nanos) {
	}

	/**
	 * A request ended, with the exception its caller got. The broker calls this one; by default
	 * it calls {@link #requestCompleted(RequestOutcome, long)}.
	 * @param outcome how
	 * @param failure the exception the caller got, {@code null} on success
	 * @param nanos from the call to the outcome
	 */
	default void requestCompleted(RequestOutcome outcome, @Nullable Throwable failure, long nanos) {
		requestCompleted(outcome, nanos);
	}

	/**
	 * An answer came for a task id that nobody waits for any more (timed out or cancelled, or a
	 * duplicate); it was dropped and the connection kept.
	 */
	default void lateResponse() {
	}

}
