package dev.anet.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of handled requests; declare a bean to replace
 * {@link DefaultAnetServerObservationConvention}.
 */
public interface AnetServerObservationConvention extends ObservationConvention<AnetServerRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof AnetServerRequestContext;
	}

}
