package dev.anet.boot.observation;

import dev.anet.server.ServerConnection;
import dev.anet.pool.Addresses;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.micrometer.observation.Observation.Context} of a request the server handles. It is
 * its own carrier: the tracer's fields are read from the request through the
 * {@link AnetTracePropagation}.
 */
public class AnetServerRequestContext extends ReceiverContext<AnetServerRequestContext> {

	private final AnetTracePropagation propagation;

	private final ServerConnection connection;

	private final int taskId;

	private final byte[] request;

	private final @Nullable String route;

	private @Nullable String outcome;

	public AnetServerRequestContext(ServerConnection connection, int taskId, byte[] request, @Nullable String route,
			AnetTracePropagation propagation) {
		super((carrier, field) -> carrier.propagation.extract(carrier.request, field), Kind.SERVER);
		this.connection = connection;
		this.taskId = taskId;
		this.request = request;
		this.route = route;
		this.propagation = propagation;
		setCarrier(this);
		setRemoteServiceAddress(Addresses.format(connection.remoteAddress()));
	}

	public ServerConnection getConnection() {
		return this.connection;
	}

	public int getTaskId() {
		return this.taskId;
	}

	public byte[] getRequest() {
		return this.request;
	}

	/**
	 * Return the route the request takes.
	 * @return the route's name, or {@code null} if no route takes it
	 */
	public @Nullable String getRoute() {
		return this.route;
	}

	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
