package dev.anet.boot.observation;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import dev.anet.internal.Failures;
import dev.anet.server.AsyncHandlerInvocation;
import dev.anet.server.HandlerInterceptor;
import dev.anet.server.HandlerInvocation;
import dev.anet.server.ServerConnection;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Observes every handler run as {@link AnetObservationDocumentation#SERVER_REQUEST} (kind SERVER),
 * with its scope open while the handler runs: with Micrometer Tracing the handler runs inside its
 * server span (and its logs carry the trace id). It is the outermost interceptor
 * ({@link #DEFAULT_ORDER}), so the application's interceptors run inside the span too.
 *
 * <p>
 * For an {@link dev.anet.server.AsyncHandler} (an {@code @AnetHandler} method that returns a
 * {@code CompletableFuture} or {@code CompletionStage}) the scope is open while the handler starts
 * the work, and the observation stops when the stage completes, on the thread that completes it:
 * no thread waits for the answer. The server gets the handler's stage itself, so a stop that
 * gives up waiting cancels it (the observation then records the {@code CancellationException}).
 */
public class ObservationHandlerInterceptor implements HandlerInterceptor, Ordered {

	/** Outside the application's interceptors. */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final ObservationRegistry registry;

	private final @Nullable AnetServerObservationConvention convention;

	private final AnetTracePropagation propagation;

	private final Function<byte[], @Nullable String> routes;

	/**
	 * Create the interceptor.
	 * @param registry the registry
	 * @param convention a custom convention, or {@code null} for the default
	 * @param propagation reads trace fields from requests
	 * @param routes the name of the route a request takes, or {@code null} if none takes it
	 */
	public ObservationHandlerInterceptor(ObservationRegistry registry,
			@Nullable AnetServerObservationConvention convention, AnetTracePropagation propagation,
			Function<byte[], @Nullable String> routes) {
		this.registry = registry;
		this.convention = convention;
		this.propagation = propagation;
		this.routes = routes;
	}

	@Override
	public byte @Nullable [] intercept(HandlerInvocation invocation) throws Exception {
		if (this.registry.isNoop()) {
			return invocation.proceed();
		}
		AnetServerRequestContext context = context(invocation.connection(), invocation.taskId(), invocation.request());
		Observation observation = start(context);
		try (Observation.Scope scope = observation.openScope()) {
			byte[] answer = invocation.proceed();
			context.setOutcome(outcome(context, answer));
			return answer;
		}
		catch (Exception | Error ex) {
			context.setOutcome("error");
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * Start the observation, call the handler with its scope open, and stop it when the stage
	 * completes (with the same outcomes as {@link #intercept}), without waiting for it.
	 */
	@Override
	public CompletionStage<byte @Nullable []> interceptAsync(AsyncHandlerInvocation invocation) throws Exception {
		if (this.registry.isNoop()) {
			return invocation.proceed();
		}
		AnetServerRequestContext context = context(invocation.connection(), invocation.taskId(), invocation.request());
		Observation observation = start(context);
		CompletionStage<byte @Nullable []> stage;
		try (Observation.Scope scope = observation.openScope()) {
			stage = invocation.proceed();
		}
		catch (Exception | Error ex) {
			context.setOutcome("error");
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		// the handler's own stage goes back to the server, so its cancel (a stop that gives up) reaches it
		stage.whenComplete((answer, failure) -> {
			if (failure != null) {
				context.setOutcome("error");
				observation.error(Failures.unwrap(failure));
			}
			else {
				context.setOutcome(outcome(context, answer));
			}
			observation.stop();
		});
		return stage;
	}

	@Override
	public int getOrder() {
		return DEFAULT_ORDER;
	}

	private AnetServerRequestContext context(ServerConnection connection, int taskId, byte[] request) {
		return new AnetServerRequestContext(connection, taskId, request, this.routes.apply(request), this.propagation);
	}

	private static String outcome(AnetServerRequestContext context, byte @Nullable [] answer) {
		return (context.getRoute() == null) ? "unrouted" : (answer != null) ? "success" : "no-response";
	}

	private Observation start(AnetServerRequestContext context) {
		return AnetObservationDocumentation.SERVER_REQUEST
			.observation(this.convention, DefaultAnetServerObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
	}

}
