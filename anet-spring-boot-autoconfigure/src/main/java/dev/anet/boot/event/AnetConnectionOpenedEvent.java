package dev.anet.boot.event;

import java.net.InetSocketAddress;

/**
 * A connection opened: a pool connection dialled, or a connection the server accepted.
 */
public class AnetConnectionOpenedEvent extends AnetConnectionEvent {

	public AnetConnectionOpenedEvent(Object source, InetSocketAddress address, Role role) {
		super(source, address, role);
	}

}
