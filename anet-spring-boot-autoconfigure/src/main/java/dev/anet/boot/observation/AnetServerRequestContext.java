package dev.anet.boot.observation;

import dev.anet.server.ServerConnection;
import dev.anet.pool.Addresses;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link io.micrometer.observation.Observation.Context} of a request the server handles. It is
 * its own carrier: the tracer's fields are read from the request through the
 * {@link AnetTracePropagation}.
 */
public class AnetServerRequestContext extends ReceiverContext<AnetServerRequestContext> {

	private static final String ADDRESS_ATTRIBUTE = AnetServerRequestContext.class.getName() + ".address";

	private final ContextKeyValues keyValues = new ContextKeyValues();

	private final AnetTracePropagation propagation;

	private final ServerConnection connection;

	private final int taskId;

	private final byte[] request;

	private final @Nullable String route;

	private @Nullable String outcome;

	/** What {@link AnetMeterObservationHandler} keeps from the start for the stop, if it handles this context. */
	volatile @Nullable Object meterState;

	public AnetServerRequestContext(ServerConnection connection, int taskId, byte[] request, @Nullable String route,
			AnetTracePropagation propagation) {
		super((carrier, field) -> carrier.propagation.extract(carrier.request, field), Kind.SERVER);
		this.connection = connection;
		this.taskId = taskId;
		this.request = request;
		this.route = route;
		this.propagation = propagation;
		setCarrier(this);
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

	/**
	 * Return the client's address as a URI, {@code anet://host:port} (a tracer parses it into the
	 * span's remote address): one set with {@link #setRemoteServiceAddress}, else the
	 * connection's, formatted only when a handler asks.
	 * @return the address
	 */
	@Override
	public String getRemoteServiceAddress() {
		String address = super.getRemoteServiceAddress();
		return (address != null) ? address : AnetBrokerRequestContext.URI_SCHEME + formattedAddress(this.connection);
	}

	/**
	 * Return the address of a connection's client, formatted once per connection.
	 * @param connection the connection
	 * @return {@code host:port}
	 */
	static String formattedAddress(ServerConnection connection) {
		Object formatted = connection.getAttribute(ADDRESS_ATTRIBUTE);
		if (formatted instanceof String text) {
			return text;
		}
		String text = Addresses.format(connection.remoteAddress());
		connection.setAttribute(ADDRESS_ATTRIBUTE, text);
		return text;
	}

	/**
	 * Return how the handler run ended; {@code null} until it did (while the observation starts).
	 * @return {@code success}, {@code error}, {@code no-response} or {@code unrouted}, or
	 * {@code null}
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(String outcome) {
		this.outcome = outcome;
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
