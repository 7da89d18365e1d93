package dev.anet.boot.observation;

import java.net.InetSocketAddress;

import dev.anet.pool.Addresses;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.micrometer.observation.Observation.Context} of a broker request. It is its own
 * carrier: the tracer's fields go into the request through the {@link AnetTracePropagation}.
 */
public class AnetBrokerRequestContext extends SenderContext<AnetBrokerRequestContext> {

	private final AnetTracePropagation propagation;

	private byte[] request;

	private final int requestSize;

	private @Nullable String outcome;

	private int taskId;

	private @Nullable InetSocketAddress remoteAddress;

	public AnetBrokerRequestContext(byte[] request, AnetTracePropagation propagation) {
		super((carrier, field, value) -> carrier.request = carrier.propagation.inject(carrier.request, field, value),
				Kind.CLIENT);
		this.request = request;
		this.requestSize = request.length;
		this.propagation = propagation;
		setCarrier(this);
	}

	/**
	 * Return the request, with the trace fields once the observation started.
	 * @return the request body
	 */
	public byte[] getRequest() {
		return this.request;
	}

	/**
	 * Return the size of the request as the caller gave it.
	 * @return the size in bytes
	 */
	public int getRequestSize() {
		return this.requestSize;
	}

	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

	public int getTaskId() {
		return this.taskId;
	}

	public void setTaskId(int taskId) {
		this.taskId = taskId;
	}

	public @Nullable InetSocketAddress getAddress() {
		return this.remoteAddress;
	}

	public void setAddress(@Nullable InetSocketAddress remoteAddress) {
		this.remoteAddress = remoteAddress;
		if (remoteAddress != null) {
			setRemoteServiceAddress(Addresses.format(remoteAddress));
		}
	}

}
