package dev.anet.boot.metrics;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.RequestOutcome;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.HandlerOutcome;
import dev.anet.server.ServerConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnetMetrics}: exactly the meters of the design's table.
 */
class AnetMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final PoolGroup pools = new PoolGroup(
			List.of(new InetSocketAddress("127.0.0.1", 1500), new InetSocketAddress("127.0.0.1", 1501)),
			PoolConfig.builder().validationInterval(Duration.ZERO).build(), PoolListener.NONE);

	private final Broker broker = new Broker(this.pools, BrokerConfig.defaults());

	private final AnetServer server = new AnetServer(ServerConfig.builder().port(0).build(),
			(connection, request) -> request);

	@AfterEach
	void close() {
		this.broker.close();
	}

	@Test
	void registersExactlyTheMetersOfTheTableWithTypesTagsUnitsAndDescriptions() {
		AnetMetrics metrics = new AnetMetrics(() -> null, () -> this.broker, () -> this.server, (request) -> "NC");
		metrics.bindTo(this.registry);
		metrics.requestCompleted(null, new byte[] { 'N' }, HandlerOutcome.SUCCESS, 1000);
		metrics.requestCompleted(RequestOutcome.TIMEOUT, new AnetTimeoutException("No answer within 1 ms"), 1000);
		metrics.dialFailed(new InetSocketAddress("127.0.0.1", 1500), new ConnectException("Connection refused"));
		Map<String, String> meters = this.registry.getMeters()
			.stream()
			.collect(Collectors.toMap(AnetMetricsTests::key, AnetMetricsTests::describe, (a, b) -> a, TreeMap::new));
		assertThat(meters).containsOnlyKeys("anet.pool.connections.active{address=127.0.0.1:1500,client=default}",
				"anet.pool.connections.active{address=127.0.0.1:1501,client=default}",
				"anet.pool.connections.idle{address=127.0.0.1:1500,client=default}",
				"anet.pool.connections.idle{address=127.0.0.1:1501,client=default}",
				"anet.pool.connections.pending{address=127.0.0.1:1500,client=default}",
				"anet.pool.connections.pending{address=127.0.0.1:1501,client=default}",
				"anet.pool.connections.max{address=127.0.0.1:1500,client=default}",
				"anet.pool.connections.max{address=127.0.0.1:1501,client=default}",
				"anet.pool.connections.created{address=127.0.0.1:1500,client=default}",
				"anet.pool.connections.created{address=127.0.0.1:1501,client=default}",
				"anet.pool.connections.closed{address=127.0.0.1:1500,client=default}",
				"anet.pool.connections.closed{address=127.0.0.1:1501,client=default}",
				"anet.pool.connections.acquire{address=127.0.0.1:1500,client=default}",
				"anet.pool.connections.acquire{address=127.0.0.1:1501,client=default}", "anet.broker.queue.size{client=default}",
				"anet.broker.queue.capacity{client=default}", "anet.broker.requests.inflight{client=default}",
				"anet.broker.requests{client=default,exception=none,outcome=success}",
				"anet.broker.requests{client=default,exception=AnetTimeoutException,outcome=timeout}",
				"anet.pool.dials.failed{address=127.0.0.1:1500,client=default,exception=ConnectException}", "anet.broker.responses.late{client=default}",
				"anet.server.connections.active{}", "anet.server.connections.rejected{}",
				"anet.server.requests{outcome=success,route=NC}", "anet.server.frames.invalid{}",
				"anet.server.requests.pending{}");
		assertThat(meters).containsEntry("anet.pool.connections.active{address=127.0.0.1:1500,client=default}", "GAUGE connections")
			.containsEntry("anet.pool.connections.idle{address=127.0.0.1:1500,client=default}", "GAUGE connections")
			.containsEntry("anet.pool.connections.pending{address=127.0.0.1:1500,client=default}", "GAUGE threads")
			.containsEntry("anet.pool.connections.max{address=127.0.0.1:1500,client=default}", "GAUGE connections")
			.containsEntry("anet.pool.connections.created{address=127.0.0.1:1500,client=default}", "COUNTER connections")
			.containsEntry("anet.pool.connections.closed{address=127.0.0.1:1500,client=default}", "COUNTER connections")
			.containsEntry("anet.pool.connections.acquire{address=127.0.0.1:1500,client=default}", "TIMER seconds")
			.containsEntry("anet.broker.queue.size{client=default}", "GAUGE requests")
			.containsEntry("anet.broker.queue.capacity{client=default}", "GAUGE requests")
			.containsEntry("anet.broker.requests.inflight{client=default}", "GAUGE requests")
			.containsEntry("anet.broker.requests{client=default,exception=none,outcome=success}", "TIMER seconds")
			.containsEntry("anet.pool.dials.failed{address=127.0.0.1:1500,client=default,exception=ConnectException}", "COUNTER dials")
			.containsEntry("anet.broker.responses.late{client=default}", "COUNTER responses")
			.containsEntry("anet.server.connections.active{}", "GAUGE connections")
			.containsEntry("anet.server.connections.rejected{}", "COUNTER connections")
			.containsEntry("anet.server.requests{outcome=success,route=NC}", "TIMER seconds")
			.containsEntry("anet.server.frames.invalid{}", "COUNTER frames")
			.containsEntry("anet.server.requests.pending{}", "GAUGE requests");
		assertThat(this.registry.getMeters()).allSatisfy(
				(meter) -> assertThat(meter.getId().getDescription()).as("description of %s", key(meter)).isNotBlank());
		assertThat(this.registry.get("anet.pool.connections.max").tag("address", "127.0.0.1:1500").gauge().value())
			.isEqualTo(8);
		assertThat(this.registry.get("anet.broker.queue.capacity").gauge().value()).isEqualTo(4096);
	}

	@Test
	void eventsUpdateTheMeters() {
		AnetMetrics metrics = new AnetMetrics(() -> this.pools, () -> null, () -> this.server,
				(request) -> (request.length > 0) ? "NC" : null);
		metrics.bindTo(this.registry);
		InetSocketAddress address = new InetSocketAddress("127.0.0.1", 1500);
		metrics.connectionCreated(address);
		metrics.connectionCreated(address);
		metrics.connectionClosed(address);
		metrics.connectionAcquired(address, 5_000_000);
		metrics.requestCompleted(RequestOutcome.TIMEOUT, 1000);
		metrics.connectionRejected(address);
		metrics.invalidFrame(null, 2);
		metrics.requestCompleted(null, new byte[] { 1 }, HandlerOutcome.NO_RESPONSE, 1000);
		metrics.requestCompleted(null, new byte[] { 1 }, HandlerOutcome.ERROR, 1000);
		metrics.requestCompleted(null, new byte[0], HandlerOutcome.NO_RESPONSE, 1000);
		assertThat(counter("anet.pool.connections.created", "address", "127.0.0.1:1500")).isEqualTo(2);
		assertThat(counter("anet.pool.connections.closed", "address", "127.0.0.1:1500")).isEqualTo(1);
		assertThat(this.registry.get("anet.pool.connections.acquire").tag("address", "127.0.0.1:1500").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.find("anet.broker.requests").meters()).as("no broker, no broker meters").isEmpty();
		assertThat(this.registry.get("anet.server.connections.rejected").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("anet.server.frames.invalid").counter().count()).isEqualTo(1);
		assertThat(serverRequests("NC", "no-response")).isEqualTo(1);
		assertThat(serverRequests("NC", "error")).isEqualTo(1);
		assertThat(serverRequests(AnetMetrics.NO_ROUTE, "unrouted")).isEqualTo(1);
	}

	@Test
	void eventsBeforeBindingAreNotCountedAndNothingFails() {
		AnetMetrics metrics = new AnetMetrics(() -> this.pools, () -> null, () -> null, (request) -> null);
		metrics.connectionCreated(new InetSocketAddress("127.0.0.1", 1500));
		metrics.requestCompleted(null, new byte[0], HandlerOutcome.SUCCESS, 1);
		metrics.bindTo(this.registry);
		assertThat(counter("anet.pool.connections.created", "address", "127.0.0.1:1500")).isZero();
		assertThat(this.registry.find("anet.server.connections.active").meters()).as("no server, no server meters")
			.isEmpty();
	}

	private double counter(String name, String tag, String value) {
		return this.registry.get(name).tag(tag, value).counter().count();
	}

	private long serverRequests(String route, String outcome) {
		return this.registry.get("anet.server.requests").tag("route", route).tag("outcome", outcome).timer().count();
	}

	private static String key(Meter meter) {
		return meter.getId().getName() + meter.getId()
			.getTags()
			.stream()
			.map((tag) -> tag.getKey() + "=" + tag.getValue())
			.collect(Collectors.joining(",", "{", "}"));
	}

	private static String describe(Meter meter) {
		String unit = (meter.getId().getType() == Meter.Type.TIMER) ? "seconds" : meter.getId().getBaseUnit();
		return meter.getId().getType() + " " + unit;
	}

}
