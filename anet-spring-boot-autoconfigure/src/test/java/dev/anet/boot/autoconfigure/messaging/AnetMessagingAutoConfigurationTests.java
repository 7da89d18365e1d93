package dev.anet.boot.autoconfigure.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetAutoConfiguration;
import dev.anet.boot.messaging.AnetMessageConverter;
import dev.anet.boot.messaging.AnetMessageConverters;
import dev.anet.boot.messaging.AnetTemplate;
import dev.anet.boot.messaging.MessageConversionException;
import dev.anet.boot.messaging.StringMessageConverter;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerConfig;
import dev.anet.pool.PoolConfig;
import dev.anet.pool.PoolGroup;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AnetMessagingAutoConfiguration}, and typed messages from an
 * {@link AnetTemplate} to {@code @AnetHandler} methods over a real server.
 */
class AnetMessagingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class, AnetMessagingAutoConfiguration.class))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0");

	@Test
	void whenThereIsABrokerThenATemplateWithTheDefaultConvertersIsConfigured() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1").run((context) -> {
			assertThat(context).hasSingleBean(AnetTemplate.class).hasSingleBean(AnetMessageConverters.class);
			assertThat(context.getBean(AnetMessageConverters.class).getConverters()).last()
				.isInstanceOfSatisfying(StringMessageConverter.class,
						(converter) -> assertThat(converter.getCharset()).isEqualTo(StandardCharsets.US_ASCII));
		});
	}

	@Test
	void whenThereIsNoBrokerThenThereIsNoTemplate() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(AnetTemplate.class)
			.hasSingleBean(AnetMessageConverters.class));
	}

	@Test
	void whenTheUserDeclaresATemplateThenTheAutoConfiguredOneBacksOff() {
		AnetMessageConverters mine = AnetMessageConverters.defaults();
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1")
			.withUserConfiguration(UserTemplateConfiguration.class)
			.withBean(AnetMessageConverters.class, () -> mine)
			.run((context) -> {
				assertThat(context).hasSingleBean(AnetTemplate.class).hasBean("myTemplate");
				assertThat(context.getBean(AnetMessageConverters.class)).isSameAs(mine);
			});
	}

	@Test
	void whenTheCharsetIsSetThenStringsUseIt() {
		this.contextRunner.withPropertyValues("anet.messages.charset=UTF-8")
			.run((context) -> assertThat(context.getBean(AnetMessageConverters.class).toBody("\u00e9")).hasSize(2));
	}

	@Test
	void whenTheCharsetIsUnknownThenStartUpFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("anet.messages.charset=NO-SUCH-CHARSET").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("anet.messages");
		});
	}

	@Test
	void whenTypesAreSentThenHandlersTakeAndReturnThemBothWays() {
		this.contextRunner.withBean(PointConverter.class)
			.withBean(TypedHandlers.class)
			.run((context) -> {
				AnetTemplate template = template(context);
				assertThat(template.convertSendAndReceive("NC00", String.class)).isEqualTo("ND00");
				assertThat(template.convertSendAndReceive(new Point(2, 3), Point.class)).isEqualTo(new Point(3, 2));
				assertThat(template.convertSendAndReceive("F", Point.class, Duration.ofSeconds(5)))
					.isEqualTo(new Point(7, 8));
				CompletableFuture<String> async = template.convertSendAndReceiveAsync("NC01", String.class);
				assertThat(async.get(5, TimeUnit.SECONDS)).isEqualTo("ND01");
				assertThat(template.sendAndReceive("NC02".getBytes(StandardCharsets.US_ASCII))).asString()
					.isEqualTo("ND02");
			});
	}

	@Test
	void whenTheAnswerCannotBeConvertedThenTheTemplateSaysSo() {
		this.contextRunner.withBean(PointConverter.class)
			.withBean(TypedHandlers.class)
			.run((context) -> {
				AnetTemplate template = template(context);
				assertThatExceptionOfType(MessageConversionException.class)
					.isThrownBy(() -> template.convertSendAndReceive("NC00", Integer.class))
					.withMessageContaining("java.lang.Integer");
			});
	}

	/** A template over a broker of its own to the context's server (closed with the context). */
	private static AnetTemplate template(ConfigurableApplicationContext context) {
		int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
		Broker broker = new Broker(PoolGroup.of(List.of("127.0.0.1:" + port), PoolConfig.builder().build()),
				BrokerConfig.builder().closeTimeout(Duration.ZERO).build());
		context.addApplicationListener((ContextClosedEvent event) -> broker.close());
		return new AnetTemplate(broker, context.getBean(AnetMessageConverters.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplateConfiguration {

		@Bean
		AnetTemplate myTemplate(Broker broker) {
			return new AnetTemplate(broker);
		}

	}

	@Test
	void whenAHandlerTakesATypeNoConverterConvertsThenStartUpFailsNamingTheMethod() {
		this.contextRunner.withBean(TypedHandlers.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasMessageContaining("Method TypedHandlers.swap")
				.hasMessageContaining("which no AnetMessageConverter converts");
		});
	}

	record Point(int x, int y) {
	}

	static class PointConverter implements AnetMessageConverter {

		@Override
		public boolean canConvert(Class<?> type) {
			return type == Point.class;
		}

		@Override
		public byte[] toBody(Object message) {
			Point point = (Point) message;
			return new byte[] { 'P', (byte) point.x(), (byte) point.y() };
		}

		@Override
		public <T> T fromBody(byte[] body, Class<T> type) {
			if (body.length != 3 || body[0] != 'P') {
				throw new MessageConversionException("Not a point: " + body.length + " bytes");
			}
			return type.cast(new Point(body[1], body[2]));
		}

	}

	static class TypedHandlers {

		@AnetHandler(prefix = "NC")
		String diagnostics(String request) {
			return "ND" + request.substring(2);
		}

		@AnetHandler(prefix = "P")
		Point swap(Point point) {
			return new Point(point.y(), point.x());
		}

		@AnetHandler(prefix = "F")
		CompletableFuture<Point> later(byte[] request) {
			return CompletableFuture.completedFuture(new Point(7, 8));
		}

	}

}
