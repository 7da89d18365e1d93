package dev.anet.boot.observation;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.anet.boot.observation.AnetObservationDocumentation.BrokerLowCardinalityTags;
import dev.anet.boot.observation.AnetObservationDocumentation.HighCardinalityTags;
import io.micrometer.common.KeyValue;
import dev.anet.pool.Addresses;
import io.micrometer.common.KeyValues;

/**
 * The default convention of broker requests: name {@code anet.broker.requests}, tags
 * {@code outcome} and {@code exception} (as the meter binder's timer), and the peer's address, the task id and the body size as high-cardinality keys.
 */
public class DefaultAnetBrokerObservationConvention implements AnetBrokerObservationConvention {

	/** The shared instance. */
	public static final DefaultAnetBrokerObservationConvention INSTANCE = new DefaultAnetBrokerObservationConvention();

	/** The observation's (and the timer's) name. */
	public static final String NAME = "anet.broker.requests";

	/** Formatted addresses: a broker calls a few (its pools'). */
	private final Map<InetSocketAddress, String> addresses = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(AnetBrokerRequestContext context) {
		return "anet send";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(AnetBrokerRequestContext context) {
		String outcome = context.getOutcome();
		Throwable error = context.getError();
		return KeyValues.of(BrokerLowCardinalityTags.OUTCOME.withValue((outcome != null) ? outcome : "error"),
				BrokerLowCardinalityTags.EXCEPTION.withValue((error != null) ? error.getClass().getSimpleName() : "none"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(AnetBrokerRequestContext context) {
		InetSocketAddress address = context.getAddress();
		KeyValue size = HighCardinalityTags.BODY_SIZE.withValue(Integer.toString(context.getRequestSize()));
		if (address == null) {
			return KeyValues.of(size);
		}
		return KeyValues.of(size,
				HighCardinalityTags.REMOTE_ADDRESS.withValue(format(address)),
				HighCardinalityTags.TASK_ID.withValue(Integer.toUnsignedString(context.getTaskId())));
	}

	private String format(InetSocketAddress address) {
		String formatted = this.addresses.get(address);
		if (formatted == null) {
			formatted = Addresses.format(address);
			if (this.addresses.size() < 1024) {
				this.addresses.put(address, formatted);
			}
		}
		return formatted;
	}

}
