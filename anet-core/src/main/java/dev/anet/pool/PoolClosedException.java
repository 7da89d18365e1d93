package dev.anet.pool;

import dev.anet.AnetException;

/**
 * The pool (or the pool group) is closed and hands out no more connections.
 */
public class PoolClosedException extends AnetException {

	private static final long serialVersionUID = 1L;

	public PoolClosedException(String message) {
		super(message);
	}

}
