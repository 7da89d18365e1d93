package dev.anet.boot.autoconfigure.observation;

import dev.anet.boot.observation.AnetMeterObservationHandler;
import io.micrometer.core.annotation.Timed;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link AnetMeterObservationHandler}:
 * the meter handler of anet's observations, which makes the same meters as Spring Boot's
 * {@link DefaultMeterObservationHandler} at a fraction of its cost. Spring Boot puts every
 * {@code MeterObservationHandler} bean, in their order, into one group whose first handler that
 * supports an observation handles it; this one has the lowest precedence, as Boot's own, and is
 * defined before it (this configuration runs before Boot's {@code MetricsAutoConfiguration}), so
 * it comes right before Boot's handler: it takes anet's observations, Boot's handler every other,
 * and a {@code MeterObservationHandler} bean of the application's comes before both. It follows
 * {@code management.metrics.observations.ignored-meters} as Boot's handler does. It is not there
 * with {@code anet.observations.enabled=false} (no anet observations); exclude this
 * auto-configuration to leave anet's observations to Boot's handler.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		beforeName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, Timed.class, MetricsProperties.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "anet.observations.enabled", matchIfMissing = true)
public final class AnetMeterObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AnetMeterObservationHandler anetMeterObservationHandler(ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<Clock> clock, ObjectProvider<MetricsProperties> properties) {
		// the registry and the ignored meters as Boot's MetricsAutoConfiguration gives them to its handler
		MeterRegistry registry = meterRegistry
			.getIfAvailable(() -> new CompositeMeterRegistry(clock.getIfAvailable(() -> Clock.SYSTEM)));
		MetricsProperties metrics = properties.getIfAvailable(MetricsProperties::new);
		return new AnetMeterObservationHandler(registry,
				metrics.getObservations().getIgnoredMeters().toArray(IgnoredMeters[]::new));
	}

}
