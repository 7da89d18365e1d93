package dev.anet.boot.observation;

import dev.anet.boot.observation.AnetObservationDocumentation.HighCardinalityTags;
import dev.anet.boot.observation.AnetObservationDocumentation.ServerLowCardinalityTags;
import dev.anet.pool.Addresses;
import dev.anet.server.ServerConnection;
import io.micrometer.common.KeyValues;

/**
 * The default convention of handled requests: name {@code anet.server.requests}, tags
 * {@code route} and {@code outcome}, and the client's address, the task id and the body size as
 * high-cardinality keys.
 */
public class DefaultAnetServerObservationConvention implements AnetServerObservationConvention {

	/** The shared instance. */
	public static final DefaultAnetServerObservationConvention INSTANCE = new DefaultAnetServerObservationConvention();

	/** The observation's (and the timer's) name. */
	public static final String NAME = "anet.server.requests";

	private static final String ADDRESS_ATTRIBUTE = DefaultAnetServerObservationConvention.class.getName() + ".address";

	/** The {@code route} of a request that no route took. */
	public static final String NO_ROUTE = "none";

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
		String outcome = context.getOutcome();
		return KeyValues.of(ServerLowCardinalityTags.ROUTE.withValue((route != null) ? route : NO_ROUTE),
				ServerLowCardinalityTags.OUTCOME.withValue((outcome != null) ? outcome : "error"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(AnetServerRequestContext context) {
		return KeyValues.of(HighCardinalityTags.REMOTE_ADDRESS.withValue(address(context.getConnection())),
				HighCardinalityTags.TASK_ID.withValue(Integer.toUnsignedString(context.getTaskId())),
				HighCardinalityTags.BODY_SIZE.withValue(Integer.toString(context.getRequest().length)));
	}

	/** The client's address, formatted once per connection (kept as a connection attribute). */
	private static String address(ServerConnection connection) {
		Object formatted = connection.getAttribute(ADDRESS_ATTRIBUTE);
		if (formatted instanceof String text) {
			return text;
		}
		String text = Addresses.format(connection.remoteAddress());
		connection.setAttribute(ADDRESS_ATTRIBUTE, text);
		return text;
	}

}
