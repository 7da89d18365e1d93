package dev.anet.broker;

import dev.anet.AnetException;

/**
 * The broker is closed or closing: a new request is refused, and requests still queued or in
 * flight when the close finished fail with this.
 */
public class BrokerClosedException extends AnetException {

	private static final long serialVersionUID = 1L;

	public BrokerClosedException(String message) {
		super(message);
	}

}
