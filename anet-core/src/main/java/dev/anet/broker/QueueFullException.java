package dev.anet.broker;

import dev.anet.AnetException;

/**
 * The broker's queue is full: the request was refused at once, without blocking.
 */
public class QueueFullException extends AnetException {

	private static final long serialVersionUID = 1L;

	public QueueFullException(String message) {
		super(message);
	}

}
