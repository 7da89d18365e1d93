package dev.anet.boot.event;

import dev.anet.server.AnetServer;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the auto-configured anet server listens: its port is bound (the one picked, with
 * {@code anet.server.port=0}).
 */
public class AnetServerStartedEvent extends ApplicationEvent {

	private final int port;

	public AnetServerStartedEvent(AnetServer server, int port) {
		super(server);
		this.port = port;
	}

	public AnetServer getServer() {
		return (AnetServer) getSource();
	}

	/**
	 * Return the port the server listens on.
	 * @return the bound port
	 */
	public int getPort() {
		return this.port;
	}

}
