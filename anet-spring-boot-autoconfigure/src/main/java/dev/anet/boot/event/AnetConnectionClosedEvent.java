package dev.anet.boot.event;

import java.net.InetSocketAddress;

/**
 * A connection closed: lost (end of stream, reset, a write stalled past its timeout, a protocol
 * error), closed by the pool (idle timeout, failed validation, retired as half-open) or by the
 * server, or at shutdown.
 */
public class AnetConnectionClosedEvent extends AnetConnectionEvent {

	public AnetConnectionClosedEvent(Object source, InetSocketAddress address, Role role) {
		super(source, address, role);
	}

}
