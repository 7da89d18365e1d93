package dev.anet.boot.autoconfigure.observation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.anet.AnetTimeoutException;
import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.autoconfigure.AnetServerLifecycle;
import dev.anet.boot.observation.AnetBrokerObservationConvention;
import dev.anet.boot.observation.AnetBrokerRequestContext;
import dev.anet.boot.observation.AnetServerRequestContext;
import dev.anet.boot.observation.AnetTracePropagation;
import dev.anet.boot.observation.ObservationBrokerInterceptor;
import dev.anet.boot.observation.ObservationHandlerInterceptor;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.Kind;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AnetObservationAutoConfiguration}, and the observations it makes of a real
 * broker call to a real server, recorded by a {@link TestObservationRegistry}.
 */
class AnetObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetObservationAutoConfiguration.class))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	@Test
	void whenThereIsAnObservationRegistryThenTheBrokerAndTheServerAreObserved() {
		this.contextRunner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1")
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationBrokerInterceptor.class)
					.hasSingleBean(ObservationHandlerInterceptor.class);
				assertThat(context.getBean(Broker.class).config().interceptors())
					.containsExactly(context.getBean(ObservationBrokerInterceptor.class));
			});
	}

	@Test
	void whenThereIsNoObservationRegistryThenNothingIsObserved() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1")
			.run((context) -> assertThat(context).doesNotHaveBean(ObservationBrokerInterceptor.class)
				.doesNotHaveBean(ObservationHandlerInterceptor.class));
	}

	@Test
	void whenDisabledByPropertyThenNothingIsObserved() {
		this.contextRunner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withPropertyValues("anet.observations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ObservationBrokerInterceptor.class)
				.doesNotHaveBean(ObservationHandlerInterceptor.class));
	}

	@Test
	void whenTheUserDeclaresAnInterceptorThenTheAutoConfiguredOneBacksOff() {
		ObservationBrokerInterceptor mine = new ObservationBrokerInterceptor(ObservationRegistry.NOOP, null,
				AnetTracePropagation.NONE);
		this.contextRunner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withBean("mine", ObservationBrokerInterceptor.class, () -> mine)
			.run((context) -> assertThat(context.getBean(ObservationBrokerInterceptor.class)).isSameAs(mine));
	}

	@Test
	void whenTwoPropagationsAreDeclaredThenStartUpFailsNamingThem() {
		this.contextRunner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withBean("one", AnetTracePropagation.class, () -> AnetTracePropagation.NONE)
			.withBean("two", AnetTracePropagation.class, () -> AnetTracePropagation.NONE)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("one")
					.hasStackTraceContaining("two")
					.hasStackTraceContaining(AnetTracePropagation.class.getName());
			});
	}

	@Test
	void whenABrokerCallsAServerThenBothRequestsAreObservedWithNamesKindsAndKeys() {
		this.contextRunner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withBean(Handlers.class)
			.run((context) -> {
				TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
				try (Broker broker = observedBroker(context)) {
					assertThat(broker.send(ascii("NC00"))).asString().isEqualTo("ND00");
				}
				assertThat(registry).hasNumberOfObservationsWithNameEqualTo("anet.broker.requests", 1)
					.hasNumberOfObservationsWithNameEqualTo("anet.server.requests", 1);
				assertThat(registry).hasObservationWithNameEqualTo("anet.broker.requests")
					.that()
					.hasContextualNameEqualTo("anet send")
					.hasLowCardinalityKeyValue("client", "default")
					.hasLowCardinalityKeyValue("outcome", "success")
					.hasLowCardinalityKeyValue("exception", "none")
					.hasHighCardinalityKeyValue("anet.task.id", "1")
					.hasHighCardinalityKeyValue("anet.body.size", "4")
					.hasHighCardinalityKeyValue("anet.remote.address", "127.0.0.1:" + port(context))
					.doesNotHaveError()
					.isInstanceOfSatisfying(AnetBrokerRequestContext.class,
							(brokerContext) -> assertThat(brokerContext.getKind()).isEqualTo(Kind.CLIENT));
				assertThat(registry).hasObservationWithNameEqualTo("anet.server.requests")
					.that()
					.hasContextualNameEqualTo("anet handle NC")
					.hasLowCardinalityKeyValue("route", "NC")
					.hasLowCardinalityKeyValue("outcome", "success")
					.hasHighCardinalityKeyValue("anet.task.id", "1")
					.hasHighCardinalityKeyValue("anet.body.size", "4")
					.hasHighCardinalityKeyValueWithKey("anet.remote.address")
					.isInstanceOfSatisfying(AnetServerRequestContext.class,
							(serverContext) -> assertThat(serverContext.getKind()).isEqualTo(Kind.SERVER));
			});
	}

	@Test
	void whenTheHandlerFailsAndTheBrokerTimesOutThenBothObservationsHaveTheError() {
		this.contextRunner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withBean(Handlers.class)
			.run((context) -> {
				TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
				try (Broker broker = observedBroker(context)) {
					assertThatExceptionOfType(AnetTimeoutException.class)
						.isThrownBy(() -> broker.send(ascii("FAIL"), Duration.ofMillis(200)));
				}
				assertThat(registry).hasObservationWithNameEqualTo("anet.broker.requests")
					.that()
					.hasLowCardinalityKeyValue("outcome", "timeout")
					.hasLowCardinalityKeyValue("exception", "AnetTimeoutException")
					.assertThatError()
					.isInstanceOf(AnetTimeoutException.class);
				assertThat(registry).hasObservationWithNameEqualTo("anet.server.requests")
					.that()
					.hasLowCardinalityKeyValue("route", "FAIL")
					.hasLowCardinalityKeyValue("outcome", "error")
					.assertThatError()
					.hasMessage("handler failed");
			});
	}

	@Test
	void whenAConventionBeanExistsThenItNamesTheKeys() {
		this.contextRunner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withBean(Handlers.class)
			.withBean(AnetBrokerObservationConvention.class, () -> new AnetBrokerObservationConvention() {
				@Override
				public String getName() {
					return "hsm.calls";
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(AnetBrokerRequestContext context) {
					return KeyValues.of("hsm", "primary");
				}
			})
			.run((context) -> {
				try (Broker broker = observedBroker(context)) {
					broker.send(ascii("NC00"));
				}
				assertThat(context.getBean(TestObservationRegistry.class)).hasObservationWithNameEqualTo("hsm.calls")
					.that()
					.hasLowCardinalityKeyValue("hsm", "primary");
			});
	}

	@Test
	void whenTheRegistryHasNoHandlerOrFiltersTheObservationThenCallsStillWork() {
		ObservationRegistry filtering = ObservationRegistry.create();
		filtering.observationConfig()
			.observationHandler((context) -> true)
			.observationPredicate((name, context) -> !name.startsWith("anet."));
		for (ObservationRegistry registry : List.of(ObservationRegistry.create(), filtering)) {
			this.contextRunner.withBean(ObservationRegistry.class, () -> registry)
				.withBean(Handlers.class)
				.run((context) -> {
					try (Broker broker = observedBroker(context)) {
						assertThat(broker.send(ascii("NC00"))).asString().isEqualTo("ND00");
						assertThat(broker.sendAsync(ascii("NC00")).get()).asString().isEqualTo("ND00");
						assertThatExceptionOfType(AnetTimeoutException.class)
							.isThrownBy(() -> broker.send(ascii("FAIL"), Duration.ofMillis(100)));
					}
				});
		}
	}

	/** A broker of its own to the context's server, with the context's observation interceptor. */
	static Broker observedBroker(ConfigurableApplicationContext context) {
		PoolGroup pools = PoolGroup.of(List.of("127.0.0.1:" + port(context)), PoolConfig.builder().build());
		return new Broker(pools, BrokerConfig.builder()
			.closeTimeout(Duration.ZERO)
			.interceptor(context.getBean(ObservationBrokerInterceptor.class))
			.build());
	}

	static int port(ConfigurableApplicationContext context) {
		return context.getBean(AnetServerLifecycle.class).getServer().port();
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static class Handlers {

		@AnetHandler(prefix = "NC")
		String diagnostics(String request) {
			return "ND00";
		}

		@AnetHandler(prefix = "FAIL")
		byte[] fail(byte[] request) {
			throw new IllegalStateException("handler failed");
		}

	}

}
