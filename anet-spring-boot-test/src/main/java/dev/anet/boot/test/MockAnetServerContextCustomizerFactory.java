package dev.anet.boot.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Starts the {@link MockAnetServer} of a test class annotated with
 * {@link AutoConfigureMockAnetServer @AutoConfigureMockAnetServer} before its context is
 * refreshed, so that {@code anet.pool.addresses} names it when the auto-configuration reads it.
 * Registered in {@code META-INF/spring.factories}.
 */
class MockAnetServerContextCustomizerFactory implements ContextCustomizerFactory {

	static final String BEAN_NAME = "mockAnetServer";

	static final String PORT_PROPERTY = "local.mock.anet.server.port";

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		MergedAnnotation<AutoConfigureMockAnetServer> annotation = MergedAnnotations
			.search(SearchStrategy.TYPE_HIERARCHY)
			.withEnclosingClasses(TestContextAnnotationUtils::searchEnclosingClass)
			.from(testClass)
			.get(AutoConfigureMockAnetServer.class);
		return annotation.isPresent() ? new Customizer(annotation.getBoolean("ignoreExpectOrder")) : null;
	}

	private record Customizer(boolean ignoreExpectOrder) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			MockAnetServer server = MockAnetServer.builder().ignoreExpectOrder(this.ignoreExpectOrder).start();
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			beanFactory.registerSingleton(BEAN_NAME, server);
			if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
				registry.registerDisposableBean(BEAN_NAME, server::close);
			}
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(BEAN_NAME,
						Map.of("anet.pool.addresses", server.address(), PORT_PROPERTY, server.port())));
		}

	}

}
