package dev.anet.boot.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.anet.boot.observation.AnetObservationDocumentation.HighCardinalityTags;
import dev.anet.boot.observation.AnetObservationDocumentation.ServerLowCardinalityTags;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default convention of handled requests: name {@code anet.server.requests}, tags
 * {@code route} and {@code outcome}, and the client's address, the task id and the body size as
 * high-cardinality keys.
 *
 * <p>While the observation starts the only key is {@code route}; the others are set when it stops.
 * The low-cardinality sets are made once per route and outcome and kept, and the high-cardinality
 * values are made only if a handler reads them.
 */
public class DefaultAnetServerObservationConvention implements AnetServerObservationConvention {

	/** The shared instance. */
	public static final DefaultAnetServerObservationConvention INSTANCE = new DefaultAnetServerObservationConvention();

	/** The observation's (and the timer's) name. */
	public static final String NAME = "anet.server.requests";

	/** The {@code route} of a request that no route took. */
	public static final String NO_ROUTE = "none";

	/** Past this many routes the cache stops growing (their sets are then made each time). */
	private static final int CACHE_LIMIT = 1024;

	private final Map<String, RouteKeyValues> routes = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(AnetServerRequestContext context) {
		String route = context.getRoute();
		return "anet handle " + ((route != null) ? route : NO_ROUTE);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(AnetServerRequestContext context) {
		String route = context.getRoute();
		RouteKeyValues keyValues = route((route != null) ? route : NO_ROUTE);
		String outcome = context.getOutcome();
		return (outcome != null) ? keyValues.ended(outcome) : keyValues.started;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(AnetServerRequestContext context) {
		if (context.getOutcome() == null) {
			// nothing a handler reads at the start (a tracer tags its span at the stop)
			return KeyValues.empty();
		}
		// in key order: anet.body.size, anet.remote.address, anet.task.id (KeyValues keeps them sorted)
		return KeyValues.of(new LazyKeyValue(HighCardinalityTags.BODY_SIZE) {
			@Override
			String compute() {
				return Integer.toString(context.getRequest().length);
			}
		}, new LazyKeyValue(HighCardinalityTags.REMOTE_ADDRESS) {
			@Override
			String compute() {
				return AnetServerRequestContext.formattedAddress(context.getConnection());
			}
		}, new LazyKeyValue(HighCardinalityTags.TASK_ID) {
			@Override
			String compute() {
				return Integer.toUnsignedString(context.getTaskId());
			}
		});
	}

	private RouteKeyValues route(String name) {
		RouteKeyValues route = this.routes.get(name);
		if (route == null) {
			route = new RouteKeyValues(name);
			if (this.routes.size() < CACHE_LIMIT) {
				this.routes.put(name, route);
			}
		}
		return route;
	}

	/** The low-cardinality sets of one route. */
	private static final class RouteKeyValues {

		private final KeyValue route;

		private final KeyValues started;

		/** By outcome (four of them). */
		private final Map<String, KeyValues> ended = new ConcurrentHashMap<>();

		RouteKeyValues(String name) {
			this.route = ServerLowCardinalityTags.ROUTE.withValue(name);
			this.started = KeyValues.of(this.route);
		}

		KeyValues ended(String outcome) {
			KeyValues keyValues = this.ended.get(outcome);
			if (keyValues == null) {
				keyValues = KeyValues.of(this.route, ServerLowCardinalityTags.OUTCOME.withValue(outcome));
				if (this.ended.size() < CACHE_LIMIT) {
					this.ended.put(outcome, keyValues);
				}
			}
			return keyValues;
		}

	}

}
