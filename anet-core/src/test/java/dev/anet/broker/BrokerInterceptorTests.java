package dev.anet.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.anet.AnetTimeoutException;
import dev.anet.pool.Addresses;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import dev.anet.pool.PoolListener;
import dev.anet.server.AnetServer;
import dev.anet.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link BrokerInterceptor}s around a broker that calls a real loopback server.
 */
class BrokerInterceptorTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Queue<String> calls = new ConcurrentLinkedQueue<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	/** An echo server that answers nothing to "SILENT". */
	private int server() {
		AnetServer server = new AnetServer(ServerConfig.builder().address("127.0.0.1").port(0).build(),
				(connection, request) -> "SILENT".equals(text(request)) ? null : request);
		server.start();
		this.resources.add(server::stop);
		return server.port();
	}

	private Broker broker(int port, BrokerInterceptor... interceptors) {
		PoolGroup pools = new PoolGroup(List.of(Addresses.parse("127.0.0.1:" + port)), PoolConfig.builder().build(),
				PoolListener.NONE);
		Broker broker = new Broker(pools, BrokerConfig.builder().interceptors(List.of(interceptors)).build());
		this.resources.add(broker);
		return broker;
	}

	private BrokerInterceptor recording(String name, String suffix) {
		return new BrokerInterceptor() {

			@Override
			public byte[] beforeSend(BrokerExchange exchange, byte[] request) {
				BrokerInterceptorTests.this.calls.add(name + ".before(" + text(request) + ")");
				return bytes(text(request) + suffix);
			}

			@Override
			public byte[] afterAnswer(BrokerExchange exchange, byte[] answer) {
				BrokerInterceptorTests.this.calls.add(name + ".after(" + text(answer) + ")");
				return bytes(text(answer) + "<" + name);
			}

			@Override
			public void onFailure(BrokerExchange exchange, Throwable failure) {
				BrokerInterceptorTests.this.calls.add(name + ".failure(" + failure.getClass().getSimpleName() + ")");
			}

		};
	}

	@Test
	void whenInterceptorsReplaceRequestAndAnswerThenTheyRunInOrderAndReverseOrder() {
		Broker broker = broker(server(), recording("a", "+a"), recording("b", "+b"));
		assertThat(text(broker.send(bytes("hi")))).isEqualTo("hi+a+b<b<a");
		assertThat(this.calls).containsExactly("a.before(hi)", "b.before(hi+a)", "b.after(hi+a+b)",
				"a.after(hi+a+b<b)");
	}

	@Test
	void whenAsyncSendIsInterceptedThenTheFutureGetsTheReplacedAnswer() throws Exception {
		Broker broker = broker(server(), recording("a", "+a"));
		assertThat(text(broker.sendAsync(bytes("hi")).get(5, TimeUnit.SECONDS))).isEqualTo("hi+a<a");
		assertThat(this.calls).containsExactly("a.before(hi)", "a.after(hi+a)");
	}

	@Test
	void whenTheSendTimesOutThenEveryInterceptorSeesTheFailure() {
		Broker broker = broker(server(), recording("a", ""), recording("b", ""));
		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> broker.send(bytes("SILENT"), Duration.ofMillis(100)));
		assertThat(this.calls).containsExactly("a.before(SILENT)", "b.before(SILENT)",
				"b.failure(AnetTimeoutException)", "a.failure(AnetTimeoutException)");
	}

	@Test
	void whenAnAsyncSendTimesOutThenTheInterceptorSeesTheUnwrappedFailure() {
		Broker broker = broker(server(), recording("a", ""));
		CompletableFuture<byte[]> future = broker.sendAsync(bytes("SILENT"), Duration.ofMillis(100));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(AnetTimeoutException.class);
		assertThat(this.calls).containsExactly("a.before(SILENT)", "a.failure(AnetTimeoutException)");
	}

	@Test
	void whenBeforeSendThrowsThenNothingIsSentAndTheEarlierInterceptorsSeeTheFailure() {
		BrokerInterceptor refusing = new BrokerInterceptor() {
			@Override
			public byte[] beforeSend(BrokerExchange exchange, byte[] request) {
				throw new IllegalArgumentException("refused");
			}
		};
		Broker broker = broker(server(), recording("a", ""), refusing, recording("c", ""));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> broker.send(bytes("hi")))
			.withMessage("refused");
		assertThat(this.calls).containsExactly("a.before(hi)", "a.failure(IllegalArgumentException)");
		assertThat(broker.inFlight()).isZero();
		assertThat(broker.queueSize()).isZero();
	}

	@Test
	void whenAfterAnswerThrowsThenTheCallerGetsItAndTheOuterInterceptorsSeeIt() {
		BrokerInterceptor failing = new BrokerInterceptor() {
			@Override
			public byte[] afterAnswer(BrokerExchange exchange, byte[] answer) {
				throw new IllegalStateException("bad answer");
			}
		};
		Broker broker = broker(server(), recording("a", ""), failing);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> broker.send(bytes("hi")))
			.withMessage("bad answer");
		assertThat(this.calls).containsExactly("a.before(hi)", "a.failure(IllegalStateException)");
	}

	@Test
	void whenTheCallerCancelsAnInterceptedFutureThenTheRequestIsFreedAndTheInterceptorSeesIt() {
		Broker broker = broker(server(), recording("a", ""));
		CompletableFuture<byte[]> future = broker.sendAsync(bytes("SILENT"));
		await().until(() -> broker.inFlight() == 1);
		future.cancel(false);
		await().until(() -> broker.inFlight() == 0);
		assertThat(future).isCancelled();
		assertThat(this.calls).containsExactly("a.before(SILENT)", "a.failure(CancellationException)");
	}

	@Test
	void whenAnInterceptorKeepsAnAttributeThenItFindsItAfterTheAnswer() {
		Queue<Object> seen = new ConcurrentLinkedQueue<>();
		BrokerInterceptor timing = new BrokerInterceptor() {
			@Override
			public byte[] beforeSend(BrokerExchange exchange, byte[] request) {
				exchange.setAttribute("started", "yes");
				return request;
			}

			@Override
			public byte[] afterAnswer(BrokerExchange exchange, byte[] answer) {
				seen.add(exchange.getAttribute("started"));
				seen.add(exchange.isAsync());
				return answer;
			}
		};
		Broker broker = broker(server(), timing);
		broker.send(bytes("hi"));
		assertThat(seen).containsExactly("yes", false);
	}

	@Test
	void whenTheAnswerOrFailureComesThenTheExchangeKnowsTheTaskIdAndTheAddress() throws Exception {
		Queue<String> seen = new ConcurrentLinkedQueue<>();
		BrokerInterceptor where = new BrokerInterceptor() {
			@Override
			public byte[] afterAnswer(BrokerExchange exchange, byte[] answer) {
				seen.add("answer " + exchange.taskId() + " " + Addresses.format(exchange.remoteAddress()));
				return answer;
			}

			@Override
			public void onFailure(BrokerExchange exchange, Throwable failure) {
				seen.add("failure " + exchange.taskId() + " " + Addresses.format(exchange.remoteAddress()));
			}
		};
		int port = server();
		Broker broker = broker(port, where);
		broker.send(bytes("one"));
		broker.sendAsync(bytes("two")).get(5, TimeUnit.SECONDS);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> broker.sendAsync(bytes("SILENT"), Duration.ofMillis(100)).get(5, TimeUnit.SECONDS));
		assertThat(seen).containsExactly("answer 1 127.0.0.1:" + port, "answer 2 127.0.0.1:" + port,
				"failure 3 127.0.0.1:" + port);
	}

	@Test
	void whenSeveralAttributesAreSetAndRemovedThenEachReadsBackItsOwnValue() {
		BrokerExchange exchange = new BrokerExchange(bytes("x"), null, false);
		exchange.setAttribute("a", 1);
		exchange.setAttribute("b", 2);
		assertThat(exchange.getAttribute("a")).isEqualTo(1);
		assertThat(exchange.getAttribute("b")).isEqualTo(2);
		exchange.setAttribute("a", null);
		exchange.setAttribute("b", 3);
		assertThat(exchange.getAttribute("a")).isNull();
		assertThat(exchange.getAttribute("b")).isEqualTo(3);
		exchange.setAttribute("b", null);
		assertThat(exchange.getAttribute("b")).isNull();
		assertThat(exchange.getAttribute("c")).isNull();
	}

	@Test
	void whenNoInterceptorIsConfiguredThenTheConfigHasAnEmptyList() {
		assertThat(BrokerConfig.defaults().interceptors()).isEmpty();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII);
	}

}
