package dev.anet.boot.autoconfigure.observation;

import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetHandlerRegistrar;
import dev.anet.boot.autoconfigure.AnetServers;
import dev.anet.boot.observation.AnetBrokerObservationConvention;
import dev.anet.boot.observation.AnetServerObservationConvention;
import dev.anet.boot.observation.AnetTracePropagation;
import dev.anet.boot.observation.ObservationBrokerInterceptor;
import dev.anet.boot.observation.ObservationHandlerInterceptor;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for anet's Micrometer observations, when
 * there is an {@link ObservationRegistry} and {@code anet.observations.enabled} is not
 * {@code false}: an {@link ObservationBrokerInterceptor} for the broker's requests (CLIENT) and an
 * {@link ObservationHandlerInterceptor} for the server's (SERVER). They use an
 * {@link AnetBrokerObservationConvention} or {@link AnetServerObservationConvention} bean if there
 * is one, and an {@link AnetTracePropagation} bean to carry trace context in the application's
 * messages (none by default). Each client's broker gets a broker interceptor of its own, whose
 * observations have the client's name as the {@code client} key. With them on, the anet meters
 * leave the two request timers to the observations.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		after = AnetAutoConfiguration.class)
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "anet.observations.enabled", matchIfMissing = true)
public final class AnetObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationBrokerInterceptor anetObservationBrokerInterceptor(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<AnetBrokerObservationConvention> convention, ObjectProvider<AnetTracePropagation> propagation) {
		return new ObservationBrokerInterceptor(registry.getObject(), convention.getIfAvailable(),
				propagation.getIfAvailable(() -> AnetTracePropagation.NONE));
	}

	@Bean
	@ConditionalOnMissingBean(ObservationClientCustomizer.class)
	ObservationClientCustomizer anetObservationClientCustomizer() {
		return new ObservationClientCustomizer();
	}

	@Bean
	@ConditionalOnMissingBean
	ObservationHandlerInterceptor anetObservationHandlerInterceptor(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<AnetServerObservationConvention> convention, ObjectProvider<AnetTracePropagation> propagation,
			ObjectProvider<AnetHandlerRegistrar> registrar) {
		return new ObservationHandlerInterceptor(registry.getObject(), convention.getIfAvailable(),
				propagation.getIfAvailable(() -> AnetTracePropagation.NONE), AnetServers.routes(registrar));
	}

}
