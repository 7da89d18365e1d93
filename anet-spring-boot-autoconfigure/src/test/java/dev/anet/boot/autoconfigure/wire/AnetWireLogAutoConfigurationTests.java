package dev.anet.boot.autoconfigure.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.wire.CardNumberWireMasker;
import dev.anet.boot.wire.PrefixWireMasker;
import dev.anet.boot.wire.WireLog;
import dev.anet.boot.wire.WireLogBrokerInterceptor;
import dev.anet.boot.wire.WireLogHandlerInterceptor;
import dev.anet.boot.wire.WireMasker;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AnetWireLogAutoConfiguration}, and what the wire log writes for a real broker
 * call to a real server.
 */
class AnetWireLogAutoConfigurationTests {

	private static final String CARD = "4111111111111111";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetWireLogAutoConfiguration.class))
		.withBean(EchoHandler.class)
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	private final Logger wire = (Logger) LoggerFactory.getLogger(WireLog.LOGGER_NAME);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	@BeforeEach
	void captureTheWireLogger() {
		this.appender.start();
		this.wire.addAppender(this.appender);
		this.wire.setLevel(Level.DEBUG);
	}

	@AfterEach
	void releaseTheWireLogger() {
		this.wire.detachAppender(this.appender);
		this.wire.setLevel(null);
	}

	@Test
	void whenNotEnabledThenThereIsNoWireLog() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(WireLog.class)
				.doesNotHaveBean(WireLogBrokerInterceptor.class)
				.doesNotHaveBean(WireLogHandlerInterceptor.class);
			assertThat(context.getBean(AnetServerLifecycle.class).getServerConfig().interceptors()).isEmpty();
		});
	}

	@Test
	void whenEnabledThenCardNumbersAreMaskedByDefault() {
		this.contextRunner.withPropertyValues("anet.wire-log.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(WireLogBrokerInterceptor.class)
				.hasSingleBean(WireLogHandlerInterceptor.class);
			assertThat(context.getBean(WireMasker.class)).isInstanceOf(CardNumberWireMasker.class);
		});
	}

	@Test
	void whenTheUserDeclaresAMaskerThenTheWireLogUsesIt() {
		this.contextRunner.withPropertyValues("anet.wire-log.enabled=true")
			.withBean(WireMasker.class, () -> new PrefixWireMasker(2))
			.run((context) -> assertThat(context.getBean(WireLog.class).getMasker()).isInstanceOf(PrefixWireMasker.class));
	}

	@Test
	void whenTwoMaskersAreDeclaredThenStartUpFailsNamingThem() {
		this.contextRunner.withPropertyValues("anet.wire-log.enabled=true")
			.withBean("cards", WireMasker.class, CardNumberWireMasker::new)
			.withBean("prefix", WireMasker.class, () -> new PrefixWireMasker(2))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("cards")
					.hasStackTraceContaining("prefix")
					.hasStackTraceContaining(WireMasker.class.getName());
			});
	}

	@Test
	void whenFramesAreLoggedThenACardNumberNeverReachesTheLog() {
		this.contextRunner.withPropertyValues("anet.wire-log.enabled=true").run((context) -> {
			try (Broker broker = wireLoggedBroker(context)) {
				assertThat(broker.send(ascii(CARD))).asString().isEqualTo(CARD);
			}
			List<String> frames = this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
			assertThat(frames).as("request and answer on each side").hasSize(4);
			assertThat(frames).allSatisfy((frame) -> {
				assertThat(frame).doesNotContain(CARD).contains("411111******1111").contains(" task 1 length 20 body 16");
				assertThat(frame.replaceAll("\\s", "")).as("not in the hex either").doesNotContain("31313131313131");
			});
			assertThat(frames).allSatisfy((frame) -> assertThat(frame).contains("34 31 31 31 31 31 2a 2a 2a 2a 2a 2a 31 31 31 31"));
			assertThat(frames).filteredOn((frame) -> frame.startsWith("anet frame > ")).hasSize(2);
			assertThat(frames).filteredOn((frame) -> frame.startsWith("anet frame < ")).hasSize(2);
		});
	}

	@Test
	void whenTheLoggerIsNotAtDebugThenNothingIsWritten() {
		this.wire.setLevel(Level.INFO);
		this.contextRunner.withPropertyValues("anet.wire-log.enabled=true").run((context) -> {
			try (Broker broker = wireLoggedBroker(context)) {
				broker.send(ascii("NC00"));
			}
			assertThat(this.appender.list).isEmpty();
		});
	}

	@Test
	void whenAnAnswerComesLaterThenItIsLoggedWhenItComesAndAStopThatGivesUpCancelsTheMethodsFuture() {
		this.contextRunner.withBean(LaterHandler.class)
			.withPropertyValues("anet.wire-log.enabled=true", "anet.server.shutdown-timeout=0s")
			.run((context) -> {
				LaterHandler handler = context.getBean(LaterHandler.class);
				int port = context.getBean(AnetServerLifecycle.class).getServer().port();
				PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + port), PoolConfig.builder().build());
				try (Broker broker = new Broker(pools, BrokerConfig.builder().closeTimeout(Duration.ZERO).build())) {
					CompletableFuture<byte[]> answered = broker.sendAsync(ascii("L1"));
					broker.sendAsync(ascii("L2"));
					await().atMost(Duration.ofSeconds(5)).until(() -> handler.pending.size() == 2);
					assertThat(this.appender.list).map(ILoggingEvent::getFormattedMessage)
						.allSatisfy((frame) -> assertThat(frame).startsWith("anet frame < "))
						.hasSize(2);
					handler.pending.get("L1").complete(ascii("A1"));
					assertThat(answered.get(5, TimeUnit.SECONDS)).asString().isEqualTo("A1");
					await().atMost(Duration.ofSeconds(5)).until(() -> this.appender.list.size() == 3);
					assertThat(this.appender.list.get(2).getFormattedMessage()).startsWith("anet frame > ")
						.contains("41 31");
					context.close();
				}
				assertThat(handler.pending.get("L2")).isCancelled();
			});
	}

	private static Broker wireLoggedBroker(ConfigurableApplicationContext context) {
		int port = context.getBean(AnetServerLifecycle.class).getServer().port();
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + port), PoolConfig.builder().build());
		return new Broker(pools, BrokerConfig.builder()
			.closeTimeout(Duration.ZERO)
			.interceptor(context.getBean(WireLogBrokerInterceptor.class))
			.build());
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static class LaterHandler {

		final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();

		@AnetHandler(prefix = "L")
		CompletableFuture<byte[]> later(String request) {
			CompletableFuture<byte[]> answer = new CompletableFuture<>();
			this.pending.put(request, answer);
			return answer;
		}

	}

	static class EchoHandler {

		@AnetHandler
		byte[] echo(byte[] request) {
			return request;
		}

	}

}
