package dev.anet.boot.autoconfigure.metrics;

import dev.anet.boot.autoconfigure.AnetClients;
import dev.anet.boot.metrics.AnetMetrics;
import dev.anet.broker.Broker;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;

/**
 * Registers one {@link AnetMetrics} per named client ({@code anet.clients.<name>}): bean
 * {@code <name>AnetMetrics}, qualified {@code <name>} so that it listens to that client's pool
 * group and broker only, and tags their meters {@code client=<name>}. A bean of that name already
 * defined is left as it is.
 */
class AnetClientMetricsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Environment environment = this.environment;
		BeanFactory beanFactory = this.beanFactory;
		Assert.state(environment != null && beanFactory != null, "Environment and bean factory must be set");
		for (String name : AnetClients.configuredNames(environment)) {
			String beanName = name + "AnetMetrics";
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(AnetMetrics.class,
					() -> new AnetMetrics(name, () -> null,
							() -> beanFactory.getBean(AnetClients.brokerBeanName(name), Broker.class), () -> null,
							(request) -> null, AnetMetricsAutoConfiguration.requestTimers((ListableBeanFactory) beanFactory)));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(beanName, definition);
		}
	}

}
