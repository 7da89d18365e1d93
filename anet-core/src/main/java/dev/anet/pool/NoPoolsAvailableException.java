package dev.anet.pool;

import dev.anet.AnetException;
import org.jspecify.annotations.Nullable;

/**
 * Every address of a pool group is down (its dials failed and its back-off has not passed). Thrown
 * at once rather than waiting; the message names every address and the last cause.
 */
public class NoPoolsAvailableException extends AnetException {

	private static final long serialVersionUID = 1L;

	public NoPoolsAvailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
