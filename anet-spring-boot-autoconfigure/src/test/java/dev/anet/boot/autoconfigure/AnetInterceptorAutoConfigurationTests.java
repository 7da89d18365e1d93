package dev.anet.boot.autoconfigure;

import dev.anet.boot.AnetHandler;
import dev.anet.broker.Broker;
import dev.anet.broker.BrokerExchange;
import dev.anet.broker.BrokerInterceptor;
import dev.anet.server.HandlerInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static dev.anet.boot.autoconfigure.TestClients.ascii;
import static dev.anet.boot.autoconfigure.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link AnetAutoConfiguration} gives the broker and the server every interceptor bean,
 * in bean order.
 */
class AnetInterceptorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AnetAutoConfiguration.class))
		.withPropertyValues("anet.server.address=127.0.0.1", "anet.server.port=0",
				"anet.pool.addresses=127.0.0.1:${local.anet.server.port:1}");

	@Test
	void whenThereIsNoInterceptorBeanThenTheConfigsHaveNone() {
		this.contextRunner.withPropertyValues("anet.pool.addresses=127.0.0.1:1").run((context) -> {
			assertThat(context.getBean(Broker.class).config().interceptors()).isEmpty();
			assertThat(context.getBean(AnetServerLifecycle.class).getServerConfig().interceptors()).isEmpty();
		});
	}

	@Test
	void whenInterceptorBeansExistThenTheyRunInBeanOrder() {
		this.contextRunner.withUserConfiguration(InterceptorConfiguration.class)
			.withPropertyValues("anet.pool.addresses=127.0.0.1:1")
			.run((context) -> {
				assertThat(context.getBean(Broker.class).config().interceptors())
					.containsExactly(context.getBean("firstBrokerInterceptor", BrokerInterceptor.class),
							context.getBean("secondBrokerInterceptor", BrokerInterceptor.class));
				int port = context.getEnvironment().getProperty("local.anet.server.port", Integer.class, -1);
				try (Broker client = TestClients.broker(port)) {
					assertThat(text(client.send(ascii("hi")))).isEqualTo("hi<inner<outer");
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class InterceptorConfiguration {

		@Bean
		@Order(2)
		HandlerInterceptor innerHandlerInterceptor() {
			return (invocation) -> ascii(text(invocation.proceed()) + "<inner");
		}

		@Bean
		@Order(1)
		HandlerInterceptor outerHandlerInterceptor() {
			return (invocation) -> ascii(text(invocation.proceed()) + "<outer");
		}

		@Bean
		@Order(2)
		BrokerInterceptor secondBrokerInterceptor() {
			return new BrokerInterceptor() {
			};
		}

		@Bean
		@Order(1)
		BrokerInterceptor firstBrokerInterceptor() {
			return new BrokerInterceptor() {
				@Override
				public byte[] beforeSend(BrokerExchange exchange, byte[] request) {
					return request;
				}
			};
		}

		@Bean
		EchoHandler echoHandler() {
			return new EchoHandler();
		}

	}

	static class EchoHandler {

		@AnetHandler
		byte[] echo(byte[] request) {
			return request;
		}

	}

}
