package dev.anet.boot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.anet.AnetTimeoutException;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.broker.ConnectionLostException;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.anet.boot.test.AnetRequestMatchers.anyRequest;
import static dev.anet.boot.test.AnetRequestMatchers.bytes;
import static dev.anet.boot.test.AnetRequestMatchers.hex;
import static dev.anet.boot.test.AnetRequestMatchers.prefix;
import static dev.anet.boot.test.AnetRequestMatchers.prefixHex;
import static dev.anet.boot.test.ExpectedCount.between;
import static dev.anet.boot.test.ExpectedCount.manyTimes;
import static dev.anet.boot.test.ExpectedCount.times;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * {@link MockAnetServer} called by a real anet-core {@link Broker} over loopback.
 */
class MockAnetServerTests {

	private MockAnetServer server = MockAnetServer.start();

	private Broker broker = broker(this.server);

	@AfterEach
	void cleanUp() {
		this.broker.close();
		this.server.close();
	}

	private static Broker broker(MockAnetServer server) {
		PoolGroup pools = PoolGroup.of(List.of(server.address()),
				PoolConfig.builder().validationInterval(Duration.ZERO).build());
		return new Broker(pools, BrokerConfig.builder().readTimeout(Duration.ofSeconds(5)).closeTimeout(Duration.ZERO).build());
	}

	private void unordered() {
		this.broker.close();
		this.server.close();
		this.server = MockAnetServer.builder().ignoreExpectOrder(true).start();
		this.broker = broker(this.server);
	}

	private String send(String request) {
		return text(this.broker.send(ascii(request)));
	}

	@Test
	void whenRequestsMatchThenEachMatcherAnswersItsOwn() {
		this.server.expect(prefix("A0")).andRespond("A1");
		this.server.expect(bytes("exact")).andRespond(ascii("EXACT"));
		this.server.expect(hex("0200")).andRespond(new byte[] { 0x02, 0x10 });
		this.server.expect(prefixHex("0800")).andRespond((request) -> request);
		this.server.expect((request) -> request.length == 3).andRespond("three");
		this.server.expect(anyRequest()).andRespond((request) -> ascii("any:" + text(request)));

		assertThat(send("A0 balance")).isEqualTo("A1");
		assertThat(send("exact")).isEqualTo("EXACT");
		assertThat(this.broker.send(new byte[] { 0x02, 0x00 })).containsExactly(0x02, 0x10);
		assertThat(this.broker.send(new byte[] { 0x08, 0x00, 0x01 })).containsExactly(0x08, 0x00, 0x01);
		assertThat(send("xyz")).isEqualTo("three");
		assertThat(send("whatever")).isEqualTo("any:whatever");
		assertThatNoException().isThrownBy(this.server::verify);
		assertThat(this.server.receivedRequests()).hasSize(6);
	}

	@Test
	void whenAnExpectationIsNotMetThenVerifyFailsListingIt() {
		this.server.expect(prefix("A0")).andRespond("A1");
		this.server.expect(prefix("B0")).andRespond("B1");

		assertThat(send("A0")).isEqualTo("A1");

		assertThatExceptionOfType(AssertionError.class).isThrownBy(this.server::verify)
			.withMessageContaining("1 expectation(s) not met, 0 unexpected request(s)")
			.withMessageContaining("met      prefix 4130 \"A0\": expected 1 time, got 1")
			.withMessageContaining("NOT MET  prefix 4230 \"B0\": expected 1 time, got 0");
	}

	@Test
	void whenARequestIsUnexpectedThenItIsNotAnsweredAndVerifyReportsItInHexAndAscii() {
		this.server.expect(prefix("A0")).andRespond("A1");

		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> this.broker.send(new byte[] { 'Z', 'Z', 0x01 }, Duration.ofMillis(200)));

		assertThatExceptionOfType(AssertionError.class).isThrownBy(this.server::verify)
			.withMessageContaining("1 expectation(s) not met, 1 unexpected request(s)")
			.withMessageContaining("Unexpected requests (no expectation took them; nothing was answered):\n  5a5a01 \"ZZ.\"");
	}

	@Test
	void whenAnExpectationSaysNoAnswerThenTheBrokerTimesOut() {
		this.server.expect(prefix("A0")).andNoAnswer();

		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> this.broker.send(ascii("A0"), Duration.ofMillis(200)));
		this.server.verify();
	}

	@Test
	void whenAnExpectationResetsTheConnectionThenTheBrokerGetsConnectionLost() {
		this.server.expect(prefix("A0")).andResetConnection();
		this.server.expect(prefix("B0")).andRespond("B1");

		assertThatExceptionOfType(ConnectionLostException.class).isThrownBy(() -> send("A0"))
			.withMessageContaining(this.server.address());
		assertThat(send("B0")).isEqualTo("B1");
		this.server.verify();
		assertThat(this.server.acceptedConnections()).isEqualTo(2);
	}

	@Test
	void whenAnExpectationClosesTheConnectionThenTheBrokerGetsConnectionLost() {
		this.server.expect(prefix("A0")).andCloseConnection();

		assertThatExceptionOfType(ConnectionLostException.class).isThrownBy(() -> send("A0"))
			.withMessageContaining(this.server.address());
		this.server.verify();
	}

	@Test
	void whenAnAnswerIsDelayedThenLaterRequestsAreAnsweredMeanwhile() throws Exception {
		this.server.expect(prefix("slow")).andRespondAfter(Duration.ofSeconds(1), "SLOW");
		this.server.expect(prefix("fast")).andRespond("FAST");

		CompletableFuture<byte[]> slow = this.broker.sendAsync(ascii("slow"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.receivedRequests().size() == 1);
		assertThat(send("fast")).isEqualTo("FAST");
		assertThat(slow).isNotDone();
		assertThat(text(slow.get())).isEqualTo("SLOW");
		this.server.verify();
	}

	@Test
	void whenAnExpectationHasACountThenItTakesThatManyRequests() {
		this.server.expect(times(2), prefix("A")).andRespond("a");
		this.server.expect(between(0, 1), prefix("B")).andRespond("b");
		this.server.expect(manyTimes(), prefix("C")).andRespond("c");

		assertThat(send("A1")).isEqualTo("a");
		assertThat(send("A2")).isEqualTo("a");
		assertThat(send("C1")).isEqualTo("c");
		assertThat(send("C2")).isEqualTo("c");
		this.server.verify();
		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> this.broker.send(ascii("A3"), Duration.ofMillis(200)));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(this.server::verify)
			.withMessageContaining("0 expectation(s) not met, 1 unexpected request(s)")
			.withMessageContaining("4133 \"A3\"");
	}

	@Test
	void whenRequestsComeOutOfOrderThenAnOrderedServerRefusesThem() {
		this.server.expect(prefix("A")).andRespond("a");
		this.server.expect(prefix("B")).andRespond("b");

		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> this.broker.send(ascii("B"), Duration.ofMillis(200)));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(this.server::verify)
			.withMessageContaining("2 expectation(s) not met, 1 unexpected request(s)");
	}

	@Test
	void whenRequestsComeOutOfOrderThenAnUnorderedServerTakesThem() {
		unordered();
		this.server.expect(prefix("A")).andRespond("a");
		this.server.expect(prefix("B")).andRespond("b");

		assertThat(send("B")).isEqualTo("b");
		assertThat(send("A")).isEqualTo("a");
		this.server.verify();
	}

	@Test
	void whenResetThenExpectationsAndRequestsAreForgotten() {
		this.server.expect(prefix("A")).andRespond("a");
		assertThatExceptionOfType(AnetTimeoutException.class)
			.isThrownBy(() -> this.broker.send(ascii("Z"), Duration.ofMillis(100)));

		this.server.reset();

		this.server.verify();
		assertThat(this.server.receivedRequests()).isEmpty();
		this.server.expect(prefix("B")).andRespond("b");
		assertThat(send("B")).isEqualTo("b");
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII);
	}

}
