package dev.anet.boot.observation;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.anet.boot.observation.AnetObservationDocumentation.BrokerLowCardinalityTags;
import dev.anet.boot.observation.AnetObservationDocumentation.HighCardinalityTags;
import dev.anet.pool.Addresses;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The default convention of broker requests: name {@code anet.broker.requests}, tags
 * {@code client}, {@code outcome} and {@code exception} (as the meter binder's timer), and the
 * peer's address, the task id and the body size as high-cardinality keys.
 *
 * <p>While the observation starts (its outcome is not known yet) the only key is {@code client};
 * the others are set when it stops. The low-cardinality sets are made once per client and outcome
 * and kept, and the high-cardinality values are made only if a handler reads them, so the
 * convention itself allocates next to nothing per request.
 */
public class DefaultAnetBrokerObservationConvention implements AnetBrokerObservationConvention {

	/** The shared instance. */
	public static final DefaultAnetBrokerObservationConvention INSTANCE = new DefaultAnetBrokerObservationConvention();

	/** The observation's (and the timer's) name. */
	public static final String NAME = "anet.broker.requests";

	/** Past this many entries a cache stops growing (its values are then made each time). */
	private static final int CACHE_LIMIT = 1024;

	private final Map<String, ClientKeyValues> clients = new ConcurrentHashMap<>();

	/** The peers' address keys: a broker calls a few (its pools'). */
	private final Map<InetSocketAddress, KeyValue> addresses = new ConcurrentHashMap<>();

	/** The last client looked up (racy on purpose: any value read is right for its name). */
	private volatile ClientKeyValues lastClient = new ClientKeyValues("");

	/** The last address looked up (same). */
	private volatile AddressKeyValue lastAddress = new AddressKeyValue(null,
			HighCardinalityTags.REMOTE_ADDRESS.withValue(""));

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
		ClientKeyValues client = client(context.getClient());
		String outcome = context.getOutcome();
		if (outcome == null) {
			return client.started;
		}
		Throwable error = context.getError();
		if (error == null && "success".equals(outcome)) {
			return client.success;
		}
		return client.ended(outcome, (error != null) ? error.getClass().getSimpleName() : "none");
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(AnetBrokerRequestContext context) {
		if (context.getOutcome() == null) {
			// nothing a handler reads at the start (a tracer tags its span at the stop)
			return KeyValues.empty();
		}
		KeyValue size = new LazyKeyValue(HighCardinalityTags.BODY_SIZE) {
			@Override
			String compute() {
				return Integer.toString(context.getRequestSize());
			}
		};
		InetSocketAddress address = context.getAddress();
		if (address == null) {
			return KeyValues.of(size);
		}
		KeyValue taskId = new LazyKeyValue(HighCardinalityTags.TASK_ID) {
			@Override
			String compute() {
				return Integer.toUnsignedString(context.getTaskId());
			}
		};
		// in key order: anet.body.size, anet.remote.address, anet.task.id (KeyValues keeps them sorted)
		return KeyValues.of(size, address(address), taskId);
	}

	private ClientKeyValues client(String name) {
		// an interceptor hands the same name each time: most calls end at the first check
		ClientKeyValues client = this.lastClient;
		if (client.name == name) {
			return client;
		}
		client = this.clients.get(name);
		if (client == null) {
			client = new ClientKeyValues(name);
			if (this.clients.size() < CACHE_LIMIT) {
				this.clients.put(name, client);
			}
		}
		this.lastClient = client;
		return client;
	}

	private KeyValue address(InetSocketAddress address) {
		// a connection hands the same address each time: most calls end at the first check
		AddressKeyValue last = this.lastAddress;
		if (last.address == address) {
			return last.keyValue;
		}
		KeyValue key = this.addresses.get(address);
		if (key == null) {
			key = HighCardinalityTags.REMOTE_ADDRESS.withValue(Addresses.format(address));
			if (this.addresses.size() < CACHE_LIMIT) {
				this.addresses.put(address, key);
			}
		}
		this.lastAddress = new AddressKeyValue(address, key);
		return key;
	}

	/** An address and its key. */
	private record AddressKeyValue(@Nullable InetSocketAddress address, KeyValue keyValue) {
	}

	/** The low-cardinality sets of one client. */
	private static final class ClientKeyValues {

		private final String name;

		private final KeyValue client;

		private final KeyValues started;

		private final KeyValues success;

		/** Failures, by outcome and exception name. */
		private final Map<String, KeyValues> failures = new ConcurrentHashMap<>();

		ClientKeyValues(String name) {
			this.name = name;
			this.client = BrokerLowCardinalityTags.CLIENT.withValue(name);
			this.started = KeyValues.of(this.client);
			this.success = of("success", "none");
		}

		KeyValues ended(String outcome, String exception) {
			String key = outcome + ' ' + exception;
			KeyValues keyValues = this.failures.get(key);
			if (keyValues == null) {
				keyValues = of(outcome, exception);
				if (this.failures.size() < CACHE_LIMIT) {
					this.failures.put(key, keyValues);
				}
			}
			return keyValues;
		}

		private KeyValues of(String outcome, String exception) {
			return KeyValues.of(this.client, BrokerLowCardinalityTags.OUTCOME.withValue(outcome),
					BrokerLowCardinalityTags.EXCEPTION.withValue(exception));
		}

	}

}
