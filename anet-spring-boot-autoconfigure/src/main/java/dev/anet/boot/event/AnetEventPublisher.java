package dev.anet.boot.event;

import java.net.InetSocketAddress;

import dev.anet.pool.PoolListener;
import dev.anet.server.ServerConnection;
import dev.anet.server.ServerListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * Turns the core's pool and server connection hooks into {@link AnetConnectionOpenedEvent}s and
 * {@link AnetConnectionClosedEvent}s. As a {@link PoolListener} and {@link ServerListener} bean it
 * is given to the auto-configured pool group and server.
 */
public class AnetEventPublisher implements PoolListener, ServerListener {

	private static final Logger logger = LoggerFactory.getLogger(AnetEventPublisher.class);

	private final ApplicationEventPublisher publisher;

	public AnetEventPublisher(ApplicationEventPublisher publisher) {
		Assert.notNull(publisher, "'publisher' must not be null");
		this.publisher = publisher;
	}

	@Override
	public void connectionCreated(InetSocketAddress address) {
		publish(new AnetConnectionOpenedEvent(this, address, AnetConnectionEvent.Role.CLIENT));
	}

	@Override
	public void connectionClosed(InetSocketAddress address) {
		publish(new AnetConnectionClosedEvent(this, address, AnetConnectionEvent.Role.CLIENT));
	}

	@Override
	public void connectionOpened(ServerConnection connection) {
		publish(
				new AnetConnectionOpenedEvent(connection, connection.remoteAddress(), AnetConnectionEvent.Role.SERVER));
	}

	@Override
	public void connectionClosed(ServerConnection connection) {
		publish(
				new AnetConnectionClosedEvent(connection, connection.remoteAddress(), AnetConnectionEvent.Role.SERVER));
	}

	/** Publish, unless the context can no longer take events (connections closing at its shutdown). */
	private void publish(ApplicationEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (IllegalStateException ex) {
			logger.debug("{} not published: {}", event, ex.getMessage());
		}
	}

}
