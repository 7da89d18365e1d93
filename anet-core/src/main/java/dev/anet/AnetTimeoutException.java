package dev.anet;

import org.jspecify.annotations.Nullable;

/**
 * A deadline passed: a request got no answer in time, or a connection could not be acquired from
 * a pool in time. The message says what was waited for and for how long.
 */
public class AnetTimeoutException extends AnetException {

	private static final long serialVersionUID = 1L;

	public AnetTimeoutException(String message) {
		super(message);
	}

	public AnetTimeoutException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
