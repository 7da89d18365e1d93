package dev.anet.boot.autoconfigure;

import java.util.function.Function;
import java.util.function.Supplier;

import dev.anet.server.AnetServer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Finds the anet server of the context for health and metrics: the one the
 * {@link AnetServerLifecycle} runs, or else a user's own {@link AnetServer} bean.
 */
public final class AnetServers {

	private final ObjectProvider<AnetServerLifecycle> lifecycle;

	private final ObjectProvider<AnetServer> servers;

	/**
	 * Create a lookup.
	 * @param lifecycle the auto-configured lifecycle
	 * @param servers a user's server
	 */
	public AnetServers(ObjectProvider<AnetServerLifecycle> lifecycle, ObjectProvider<AnetServer> servers) {
		this.lifecycle = lifecycle;
		this.servers = servers;
	}

	/**
	 * Return a supplier of the server: the lifecycle's once it decided there is one (there is
	 * none without a handler), or a user's own server bean.
	 * @return the supplier
	 */
	public Supplier<@Nullable AnetServer> server() {
		return () -> {
			AnetServerLifecycle lifecycle = this.lifecycle.getIfUnique();
			return (lifecycle != null) ? lifecycle.getServer() : this.servers.getIfUnique();
		};
	}

	/**
	 * Return a function that names the route a request takes: the {@code @AnetHandler} route, or
	 * {@code default} when the server is a user's own.
	 * @param registrar the auto-configured registrar of the handlers
	 * @return the route names
	 */
	public static Function<byte[], @Nullable String> routes(ObjectProvider<AnetHandlerRegistrar> registrar) {
		return (request) -> {
			AnetHandlerRegistrar handlers = registrar.getIfUnique();
			return (handlers != null) ? handlers.getRouter().routeName(request) : AnetRoute.DEFAULT_NAME;
		};
	}

}
