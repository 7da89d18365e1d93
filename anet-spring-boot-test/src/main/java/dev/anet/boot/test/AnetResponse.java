package dev.anet.boot.test;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link MockAnetServer} does with a request that matched: answer it (now or after a
 * delay), answer nothing, close the connection (FIN) or reset it (RST). Made by
 * {@link AnetResponseCreators}.
 */
public final class AnetResponse {

	/** What the server does. */
	public enum Action {

		/** Write the answer (after the delay). */
		ANSWER,

		/** Write nothing: the caller's request times out. */
		NO_ANSWER,

		/** Close the connection normally (FIN): the caller's requests in flight on it are lost. */
		CLOSE_CONNECTION,

		/** Reset the connection (RST, SO_LINGER 0): the caller's requests in flight on it are lost. */
		RESET_CONNECTION

	}

	private final Action action;

	private final byte @Nullable [] body;

	private final Duration delay;

	private AnetResponse(Action action, byte @Nullable [] body, Duration delay) {
		this.action = action;
		this.body = body;
		this.delay = delay;
	}

	static AnetResponse answer(byte[] body, Duration delay) {
		Objects.requireNonNull(body, "body");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative but was " + delay);
		}
		return new AnetResponse(Action.ANSWER, body, delay);
	}

	static AnetResponse of(Action action) {
		return new AnetResponse(action, null, Duration.ZERO);
	}

	public Action action() {
		return this.action;
	}

	/**
	 * Return the answer's body.
	 * @return the body, {@code null} unless the action is {@link Action#ANSWER}
	 */
	public byte @Nullable [] body() {
		return this.body;
	}

	public Duration delay() {
		return this.delay;
	}

}
