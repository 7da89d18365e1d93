package dev.anet.boot.event;

import java.net.InetSocketAddress;

import org.springframework.context.ApplicationEvent;

/**
 * A connection of anet opened or closed: one of the broker's pool connections (role
 * {@link Role#CLIENT}, address = the server dialled) or one the server accepted (role
 * {@link Role#SERVER}, address = the client). Published on the anet thread that saw it (a dial,
 * a connection reader, the housekeeper, the accept thread): keep listeners short, or use
 * {@code @Async}.
 */
public abstract class AnetConnectionEvent extends ApplicationEvent {

	/**
	 * Which side of the connection this application is.
	 */
	public enum Role {

		/** A broker's pool connection to a server. */
		CLIENT,

		/** A connection the anet server accepted. */
		SERVER

	}

	private final InetSocketAddress address;

	private final Role role;

	protected AnetConnectionEvent(Object source, InetSocketAddress address, Role role) {
		super(source);
		this.address = address;
		this.role = role;
	}

	/**
	 * Return the peer's address.
	 * @return the server dialled ({@link Role#CLIENT}) or the client accepted ({@link Role#SERVER})
	 */
	public InetSocketAddress getAddress() {
		return this.address;
	}

	public Role getRole() {
		return this.role;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.role + " " + this.address + "]";
	}

}
