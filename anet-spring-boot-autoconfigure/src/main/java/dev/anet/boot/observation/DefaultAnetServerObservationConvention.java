package dev.anet.boot.observation;

import java.net.InetSocketAddress;

import dev.anet.boot.observation.AnetObservationDocumentation.HighCardinalityTags;
import dev.anet.boot.observation.AnetObservationDocumentation.ServerLowCardinalityTags;
import dev.anet.pool.Addresses;
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
		InetSocketAddress address = context.getConnection().remoteAddress();
		return KeyValues.of(
				HighCardinalityTags.REMOTE_ADDRESS.withValue(Addresses.format(address)),
				HighCardinalityTags.TASK_ID.withValue(Integer.toUnsignedString(context.getTaskId())),
				HighCardinalityTags.BODY_SIZE.withValue(Integer.toString(context.getRequest().length)));
	}

}
