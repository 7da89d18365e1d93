package dev.anet.broker;

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
	 * An answer came for a task id that nobody waits for any more (timed out or cancelled, or a
	 * duplicate); it was dropped and the connection kept.
	 */
	default void lateResponse() {
	}

}
