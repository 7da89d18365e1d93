package dev.anet.boot.observation;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.BrokerClosedException;
import dev.anet.broker.BrokerExchange;
import dev.anet.broker.BrokerInterceptor;
import dev.anet.broker.QueueFullException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Observes every broker send as {@link AnetObservationDocumentation#BROKER_REQUEST} (kind
 * CLIENT): started on the caller's thread (so a send inside a traced request is a child span),
 * stopped with the answer or the failure. It is the outermost interceptor
 * ({@link #DEFAULT_ORDER}), so it times what the caller sees. Each interceptor observes one
 * client's sends, whose name is the {@code client} key ({@link #forClient}); the auto-configuration
 * gives every client's broker its own.
 */
public class ObservationBrokerInterceptor implements BrokerInterceptor, Ordered {

	/** Before the application's interceptors (which run in the observed time). */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private static final String OBSERVATION = ObservationBrokerInterceptor.class.getName() + ".observation";

	/** The {@code client} of the default client ({@code anet.pool.addresses}), as the anet meters have it. */
	public static final String DEFAULT_CLIENT = "default";

	private final ObservationRegistry registry;

	private final @Nullable AnetBrokerObservationConvention convention;

	private final AnetTracePropagation propagation;

	private final String client;

	/**
	 * Create the interceptor of the default client.
	 * @param registry the registry
	 * @param convention a custom convention, or {@code null} for the default
	 * @param propagation puts trace fields into requests
	 */
	public ObservationBrokerInterceptor(ObservationRegistry registry, @Nullable AnetBrokerObservationConvention convention,
			AnetTracePropagation propagation) {
		this(registry, convention, propagation, DEFAULT_CLIENT);
	}

	/**
	 * Create the interceptor of a client.
	 * @param registry the registry
	 * @param convention a custom convention, or {@code null} for the default
	 * @param propagation puts trace fields into requests
	 * @param client the client's name, the {@code client} tag ({@value #DEFAULT_CLIENT} for the
	 * default client)
	 */
	public ObservationBrokerInterceptor(ObservationRegistry registry, @Nullable AnetBrokerObservationConvention convention,
			AnetTracePropagation propagation, String client) {
		this.registry = registry;
		this.convention = convention;
		this.propagation = propagation;
		this.client = client;
	}

	/**
	 * Return an interceptor like this one for another client.
	 * @param client the client's name
	 * @return this interceptor if it is the client's, else a new one
	 */
	public ObservationBrokerInterceptor forClient(String client) {
		if (this.client.equals(client)) {
			return this;
		}
		return new ObservationBrokerInterceptor(this.registry, this.convention, this.propagation, client);
	}

	/**
	 * Return the name of the client whose sends this interceptor observes.
	 * @return the client's name
	 */
	public String getClient() {
		return this.client;
	}

	@Override
	public byte[] beforeSend(BrokerExchange exchange, byte[] request) {
		if (this.registry.isNoop()) {
			return request;
		}
		AnetBrokerRequestContext context = new AnetBrokerRequestContext(request, this.propagation, this.client);
		Observation observation = AnetObservationDocumentation.BROKER_REQUEST
			.observation(this.convention, DefaultAnetBrokerObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		if (observation.isNoop()) {
			// filtered out by an ObservationPredicate: nothing to stop, nothing propagated
			return request;
		}
		exchange.setAttribute(OBSERVATION, observation);
		return context.getRequest();
	}

	@Override
	public byte[] afterAnswer(BrokerExchange exchange, byte[] answer) {
		Observation observation = (Observation) exchange.getAttribute(OBSERVATION);
		if (observation != null) {
			AnetBrokerRequestContext context = context(observation, exchange);
			context.setOutcome("success");
			observation.stop();
		}
		return answer;
	}

	@Override
	public void onFailure(BrokerExchange exchange, Throwable failure) {
		Observation observation = (Observation) exchange.getAttribute(OBSERVATION);
		if (observation != null) {
			AnetBrokerRequestContext context = context(observation, exchange);
			context.setOutcome(outcome(failure));
			observation.error(failure);
			observation.stop();
		}
	}

	private static AnetBrokerRequestContext context(Observation observation, BrokerExchange exchange) {
		AnetBrokerRequestContext context = (AnetBrokerRequestContext) observation.getContext();
		context.setTaskId(exchange.taskId());
		context.setAddress(exchange.remoteAddress());
		return context;
	}

	private static String outcome(Throwable failure) {
		if (failure instanceof AnetTimeoutException) {
			return "timeout";
		}
		if (failure instanceof QueueFullException || failure instanceof BrokerClosedException) {
			return "rejected";
		}
		return "error";
	}

	@Override
	public int getOrder() {
		return DEFAULT_ORDER;
	}

}
