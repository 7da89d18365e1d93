package dev.anet.boot.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.server.AsyncHandler;
import dev.anet.server.Handler;
import dev.anet.server.ServerConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler the auto-configured server runs: routes each request, by the leading bytes of its
 * body, to the {@code @AnetHandler} with the longest matching prefix, or else to the default route
 * (the handler without a prefix). A request that no route takes is answered with nothing (the
 * client's request times out), counted, and logged: the first at WARN, the rest at DEBUG.
 *
 * <p>When a route answers later (a method that returns a {@code CompletableFuture} or
 * {@code CompletionStage}, see {@link #isAsync()}), the server runs {@link #asyncHandler()}
 * instead: the answers of such routes are written when their stages complete, with no thread
 * waiting for them, and the other routes answer at once, as before.
 */
public final class AnetRouter implements Handler {

	private static final Logger logger = LoggerFactory.getLogger(AnetRouter.class);

	private static final int LOGGED_BYTES = 16;

	/** Longest prefix first, so that the first match is the longest. */
	private final List<AnetRoute> routes;

	private final AtomicLong unrouted = new AtomicLong();

	/** Whether a route answers later. */
	private final boolean async;

	/**
	 * Create a router.
	 * @param routes the routes
	 * @throws IllegalStateException naming both handlers if two routes have the same prefix
	 */
	AnetRouter(List<AnetRoute> routes) {
		List<AnetRoute> sorted = new ArrayList<>(routes);
		sorted.sort(Comparator.comparingInt((AnetRoute route) -> route.prefix().length).reversed());
		for (int i = 0; i < sorted.size(); i++) {
			for (int j = i + 1; j < sorted.size() && sorted.get(j).prefix().length == sorted.get(i).prefix().length; j++) {
				AnetRoute a = sorted.get(i);
				AnetRoute b = sorted.get(j);
				if (Arrays.equals(a.prefix(), b.prefix())) {
					throw new IllegalStateException("Two @AnetHandler handlers share the "
							+ (a.isDefault() ? "default route (no prefix)" : "route '" + a.name() + "'") + ": "
							+ a.description() + " and " + b.description()
							+ ". Give one of them another prefix or prefixHex, or remove one");
				}
			}
		}
		this.routes = List.copyOf(sorted);
		this.async = sorted.stream()
			.anyMatch((route) -> route.handler() instanceof AsyncRouteHandler handler && handler.answersLater());
	}

	@Override
	public byte @Nullable [] handle(ServerConnection connection, byte[] request) throws Exception {
		AnetRoute route = route(request);
		if (route == null) {
			unrouted(connection, request);
			return null;
		}
		return route.handler().handle(connection, request);
	}

	/**
	 * Return whether a route answers later: then the server should run {@link #asyncHandler()}.
	 * @return whether one does
	 */
	public boolean isAsync() {
		return this.async;
	}

	/**
	 * Return the router as an {@link AsyncHandler}: a route that answers later gives its stage, the
	 * others their answer at once (in a completed stage).
	 * @return the handler
	 */
	public AsyncHandler asyncHandler() {
		return this::handleAsync;
	}

	private CompletionStage<byte @Nullable []> handleAsync(ServerConnection connection, byte[] request)
			throws Exception {
		AnetRoute route = route(request);
		if (route == null) {
			unrouted(connection, request);
			return CompletableFuture.completedFuture(null);
		}
		if (route.handler() instanceof AsyncRouteHandler handler) {
			return handler.handleAsync(connection, request);
		}
		return CompletableFuture.completedFuture(route.handler().handle(connection, request));
	}

	private void unrouted(ServerConnection connection, byte[] request) {
		long count = this.unrouted.incrementAndGet();
		if (count == 1) {
			logger.warn("No @AnetHandler route for a request from {} starting with {} ({} bytes) and no default "
					+ "route: nothing is answered. Further unrouted requests are logged at DEBUG",
					connection.remoteAddress(), head(request), request.length);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("No @AnetHandler route for a request from {} starting with {} ({} bytes); {} so far",
					connection.remoteAddress(), head(request), request.length, count);
		}
	}

	/**
	 * Return the name of the route a request takes.
	 * @param request the request body
	 * @return the route's name, or {@code null} if no route takes it
	 */
	public @Nullable String routeName(byte[] request) {
		AnetRoute route = route(request);
		return (route != null) ? route.name() : null;
	}

	/**
	 * Return the names of the routes, longest prefix first.
	 * @return the names
	 */
	public List<String> routeNames() {
		return this.routes.stream().map(AnetRoute::name).toList();
	}

	/**
	 * Return whether there is no route: then the server does not start.
	 * @return whether there is no handler
	 */
	public boolean isEmpty() {
		return this.routes.isEmpty();
	}

	/**
	 * Return the number of requests no route took.
	 * @return the count
	 */
	public long unroutedRequests() {
		return this.unrouted.get();
	}

	@Nullable AnetRoute route(byte[] request) {
		for (AnetRoute route : this.routes) {
			if (route.matches(request)) {
				return route;
			}
		}
		return null;
	}

	private static String head(byte[] request) {
		int length = Math.min(request.length, LOGGED_BYTES);
		return "0x" + HexFormat.of().formatHex(request, 0, length) + ((request.length > length) ? "..." : "");
	}

	@Override
	public String toString() {
		return "AnetRouter" + this.routes;
	}

}
