package dev.anet.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of broker requests; declare a bean to replace
 * {@link DefaultAnetBrokerObservationConvention}.
 */
public interface AnetBrokerObservationConvention extends ObservationConvention<AnetBrokerRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof AnetBrokerRequestContext;
	}

}
