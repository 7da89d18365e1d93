package dev.anet.boot.autoconfigure.observation;

import java.util.List;

import dev.anet.boot.autoconfigure.AnetClientCustomizer;
import dev.anet.boot.observation.ObservationBrokerInterceptor;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.BrokerInterceptor;

import org.springframework.core.Ordered;

/**
 * Gives each client's broker an {@link ObservationBrokerInterceptor} of its own, so that its
 * observations carry its name as the {@code client} tag (as the anet meters do): every broker is
 * handed the same interceptor beans, and the bean is the default client's. Ordered last, so it sees
 * the interceptors the other customizers left.
 */
final class ObservationClientCustomizer implements AnetClientCustomizer, Ordered {

	@Override
	public void customizeBroker(String client, BrokerConfig.Builder builder) {
		List<BrokerInterceptor> interceptors = builder.build().interceptors();
		boolean other = interceptors.stream()
			.anyMatch((interceptor) -> interceptor instanceof ObservationBrokerInterceptor observation
					&& !observation.getClient().equals(client));
		if (other) {
			builder.interceptors(interceptors.stream()
				.map((interceptor) -> (interceptor instanceof ObservationBrokerInterceptor observation)
						? observation.forClient(client) : interceptor)
				.toList());
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
