package dev.anet.boot.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.anet.broker.Broker;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolStats;
import dev.anet.server.AnetServer;
import dev.anet.tls.TlsConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

/**
 * Health of anet's pools, broker and server.
 *
 * <ul>
 * <li>{@code pools}: per address ({@code host:port}), {@code status}: DOWN from a failed dial until
 * a dial succeeds (whatever the failover back-off is doing), UP once a dial succeeded, UNKNOWN
 * while the address was never dialled; with {@code active}, {@code idle}, {@code pending},
 * {@code max}, {@code lastError} (the failed dial's message, while DOWN) and {@code tls}
 * ({@code off}, or the protocols, {@code verifyHostname} and {@code serverName}). Without a
 * {@link PoolReachability} (a pool group the auto-configuration did not make), DOWN means in its
 * back-off and UP that it has connections. A pool group whose addresses are resolved on first use
 * shows {@code "pools": {}} until then.</li>
 * <li>{@code broker}: {@code queueSize}, {@code queueCapacity}, {@code inFlight} and
 * {@code closed}.</li>
 * <li>{@code server}: {@code listening}, {@code port}, {@code activeConnections} and {@code tls}
 * ({@code off}, or the protocols and {@code clientAuth}).</li>
 * </ul>
 * The status is DOWN when every address is DOWN, the broker is closed, or the server is not
 * listening; otherwise UP (addresses never dialled do not make it DOWN). A part that the
 * application does not have is left out.
 */
public class AnetHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<@Nullable PoolGroup> pools;

	private final Supplier<@Nullable Broker> broker;

	private final Supplier<@Nullable AnetServer> server;

	private final @Nullable PoolReachability reachability;

	/**
	 * Create an indicator. Each supplier is asked at every health check.
	 * @param pools the pool group, if there is one; the broker's own is used when there is a
	 * broker
	 * @param broker the broker, if there is one
	 * @param server the server, if there is one that should be listening
	 */
	public AnetHealthIndicator(Supplier<@Nullable PoolGroup> pools, Supplier<@Nullable Broker> broker,
			Supplier<@Nullable AnetServer> server) {
		this(pools, broker, server, null);
	}

	/**
	 * Create an indicator. Each supplier is asked at every health check.
	 * @param pools the pool group, if there is one; the broker's own is used when there is a
	 * broker
	 * @param broker the broker, if there is one
	 * @param server the server, if there is one that should be listening
	 * @param reachability what the dials said, if the pool group has it among its listeners
	 */
	public AnetHealthIndicator(Supplier<@Nullable PoolGroup> pools, Supplier<@Nullable Broker> broker,
			Supplier<@Nullable AnetServer> server, @Nullable PoolReachability reachability) {
		super("anet health check failed");
		this.reachability = reachability;
		Assert.notNull(pools, "'pools' must not be null");
		Assert.notNull(broker, "'broker' must not be null");
		Assert.notNull(server, "'server' must not be null");
		this.pools = pools;
		this.broker = broker;
		this.server = server;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean down = false;
		Broker broker = this.broker.get();
		PoolGroup pools = (broker != null) ? broker.pools() : this.pools.get();
		if (pools != null) {
			List<PoolStats> stats = pools.stats();
			Map<String, Object> details = new LinkedHashMap<>();
			boolean allDown = !stats.isEmpty();
			TlsConfig tls = pools.config().tls();
			for (PoolStats pool : stats) {
				Map<String, Object> poolDetails = pool(pool);
				allDown &= Status.DOWN.getCode().equals(poolDetails.get("status"));
				poolDetails.put("tls", (tls != null) ? tls(tls, true) : "off");
				details.put(Addresses.format(pool.address()), poolDetails);
			}
			down = allDown || pools.isClosed();
			builder.withDetail("pools", details);
		}
		if (broker != null) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("queueSize", broker.queueSize());
			details.put("queueCapacity", broker.queueCapacity());
			details.put("inFlight", broker.inFlight());
			details.put("closed", broker.isClosed());
			down |= broker.isClosed();
			builder.withDetail("broker", details);
		}
		AnetServer server = this.server.get();
		if (server != null) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("listening", server.isRunning());
			details.put("port", server.port());
			details.put("activeConnections", server.activeConnections());
			TlsConfig tls = server.tls();
			details.put("tls", (tls != null) ? tls(tls, false) : "off");
			down |= !server.isRunning();
			builder.withDetail("server", details);
		}
		builder.status(down ? Status.DOWN : Status.UP);
	}

	private static Map<String, Object> tls(TlsConfig tls, boolean client) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("protocols", tls.protocols().isEmpty() ? "default" : tls.protocols());
		if (client) {
			details.put("verifyHostname", tls.verifyHostname());
			if (tls.serverName() != null) {
				details.put("serverName", tls.serverName());
			}
		}
		else {
			details.put("clientAuth", tls.clientAuth().name().toLowerCase(java.util.Locale.ROOT));
		}
		return details;
	}

	private Map<String, Object> pool(PoolStats pool) {
		PoolReachability.State state = (this.reachability != null) ? this.reachability.state(pool.address()) : null;
		Status status;
		String lastError;
		if (state != null) {
			status = state.reachable() ? Status.UP : Status.DOWN;
			lastError = state.error();
		}
		else {
			status = pool.down() ? Status.DOWN : (pool.total() > 0) ? Status.UP : Status.UNKNOWN;
			lastError = pool.down() ? pool.lastError() : null;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", status.getCode());
		details.put("active", pool.active());
		details.put("idle", pool.idle());
		details.put("pending", pool.pending());
		details.put("max", pool.max());
		if (lastError != null) {
			details.put("lastError", lastError);
		}
		return details;
	}

}
