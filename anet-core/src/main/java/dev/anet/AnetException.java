package dev.anet;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception anet throws. Unchecked: each subtype names one failure a caller can tell
 * apart (timeout, queue full, connection lost, ...), and its message carries the numbers (address,
 * limit, size, elapsed time).
 */
public class AnetException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public AnetException(String message) {
		super(message);
	}

	public AnetException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
