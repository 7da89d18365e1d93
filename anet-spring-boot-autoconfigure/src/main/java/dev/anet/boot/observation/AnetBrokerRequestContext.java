package dev.anet.boot.observation;

import java.net.InetSocketAddress;

import dev.anet.pool.Addresses;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.micrometer.observation.Observation.Context} of a broker request. It is its own
 * carrier: the tracer's fields go into the request through the {@link AnetTracePropagation}.
 */
public class AnetBrokerRequestContext extends SenderContext<AnetBrokerRequestContext> {

	/** How {@link #getRemoteServiceAddress()} starts: {@code host:port} alone is no URI. */
	static final String URI_SCHEME = "anet://";

	private final ContextKeyValues keyValues = new ContextKeyValues();

	private final AnetTracePropagation propagation;

	private final String client;

	private byte[] request;

	private final int requestSize;

	private @Nullable String outcome;

	private int taskId;

	private @Nullable InetSocketAddress remoteAddress;

	/** What {@link AnetMeterObservationHandler} keeps from the start for the stop, if it handles this context. */
	volatile @Nullable Object meterState;

	/**
	 * Create the context of a request of the default client.
	 * @param request the request body
	 * @param propagation puts the trace fields into the request
	 */
	public AnetBrokerRequestContext(byte[] request, AnetTracePropagation propagation) {
		this(request, propagation, ObservationBrokerInterceptor.DEFAULT_CLIENT);
	}

	/**
	 * Create the context of a request.
	 * @param request the request body
	 * @param propagation puts the trace fields into the request
	 * @param client the name of the client that sends it ({@code default} for the default client)
	 */
	public AnetBrokerRequestContext(byte[] request, AnetTracePropagation propagation, String client) {
		super((carrier, field, value) -> carrier.request = carrier.propagation.inject(carrier.request, field, value),
				Kind.CLIENT);
		this.request = request;
		this.requestSize = request.length;
		this.propagation = propagation;
		this.client = client;
		setCarrier(this);
	}

	/**
	 * Return the name of the client that sends the request, as the {@code client} tag of the anet
	 * meters has it.
	 * @return the client's name, {@code default} for the default client
	 */
	public String getClient() {
		return this.client;
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

	/**
	 * Return how the request ended; {@code null} until it did (while the observation starts).
	 * @return {@code success}, {@code timeout}, {@code rejected} or {@code error}, or {@code null}
	 */
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
	}

	/**
	 * Return the server's address as a URI, {@code anet://host:port} (a tracer parses it into the
	 * span's remote address): one set with {@link #setRemoteServiceAddress}, else the address the
	 * request was written to, formatted when a handler asks, not at every request. Before the
	 * request is written (while the observation starts) it is not known.
	 * @return the address, or {@code null} if the request was not written (yet)
	 */
	@Override
	public @Nullable String getRemoteServiceAddress() {
		String address = super.getRemoteServiceAddress();
		if (address == null && this.remoteAddress != null) {
			address = URI_SCHEME + Addresses.format(this.remoteAddress);
			setRemoteServiceAddress(address);
		}
		return address;
	}

	// the key values live in a ContextKeyValues (see there why), not in the context's maps

	@Override
	public Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
		this.keyValues.addLow(keyValue);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValue(KeyValue keyValue) {
		this.keyValues.addHigh(keyValue);
		return this;
	}

	@Override
	public Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
		this.keyValues.addLow(keyValues);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValues(KeyValues keyValues) {
		this.keyValues.addHigh(keyValues);
		return this;
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValue(String keyName) {
		this.keyValues.removeLow(keyName);
		return this;
	}

	@Override
	public Observation.Context removeHighCardinalityKeyValue(String keyName) {
		this.keyValues.removeHigh(keyName);
		return this;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues() {
		return this.keyValues.low();
	}

	@Override
	public KeyValues getHighCardinalityKeyValues() {
		return this.keyValues.high();
	}

	@Override
	public @Nullable KeyValue getLowCardinalityKeyValue(String key) {
		return ContextKeyValues.find(this.keyValues.low(), key);
	}

	@Override
	public @Nullable KeyValue getHighCardinalityKeyValue(String key) {
		return ContextKeyValues.find(this.keyValues.high(), key);
	}

}
