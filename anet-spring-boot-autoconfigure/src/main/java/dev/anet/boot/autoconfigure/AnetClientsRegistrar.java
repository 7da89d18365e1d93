package dev.anet.boot.autoconfigure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.anet.broker.Broker;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;

/**
 * Registers one {@link Broker} bean per named client ({@code anet.clients.<name>}): bean name
 * {@code <name>AnetBroker}, qualifier {@code <name>}; a bean of that name already defined is left
 * as it is. Also registers {@link AnetClients} (unless there is such a bean), and makes the
 * default client's broker and pool group {@code @Primary} when there are named clients.
 */
class AnetClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	static final String DEFAULT_BROKER = "anetBroker";

	private static final String DEFAULT_POOL_GROUP = "anetPoolGroup";

	private @Nullable Environment environment;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, beanFactory);
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	/**
	 * Return the names of the clients under {@code anet.clients}, in order.
	 * @param environment the environment
	 * @return the names
	 */
	static Set<String> names(Environment environment) {
		return Binder.get(environment)
			.bind("anet.clients", Bindable.mapOf(String.class, AnetClientProperties.class))
			.map(Map::keySet)
			.orElse(Set.of());
	}

	/**
	 * Return the bean name of a named client's broker.
	 * @param client the client's name
	 * @return {@code <client>AnetBroker}
	 */
	static String brokerBeanName(String client) {
		return client + "AnetBroker";
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Environment environment = this.environment;
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		Assert.state(environment != null && beanFactory != null, "Environment and bean factory must be set");
		Set<String> names = names(environment);
		for (String name : names) {
			if (AnetClients.DEFAULT.equals(name)) {
				throw new InvalidConfigurationPropertyValueException("anet.clients." + name, name,
						"'default' is the name of the client of anet.pool.addresses; give this client another name.");
			}
			String beanName = brokerBeanName(name);
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(Broker.class,
					() -> new AnetClientFactory(name, environment, beanFactory).broker());
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
			registry.registerBeanDefinition(beanName, definition);
		}
		if (!names.isEmpty()) {
			for (String primary : List.of(DEFAULT_BROKER, DEFAULT_POOL_GROUP)) {
				if (registry.containsBeanDefinition(primary)) {
					registry.getBeanDefinition(primary).setPrimary(true);
				}
			}
		}
		boolean hasClients = !names.isEmpty() || registry.containsBeanDefinition(DEFAULT_BROKER);
		if (hasClients && beanFactory.getBeanNamesForType(AnetClients.class, true, false).length == 0) {
			RootBeanDefinition definition = new RootBeanDefinition(AnetClients.class,
					() -> clients(beanFactory, names));
			registry.registerBeanDefinition("anetClients", definition);
		}
	}

	private static AnetClients clients(ListableBeanFactory beanFactory, Set<String> names) {
		Map<String, Broker> brokers = new LinkedHashMap<>();
		List<String> namedBeans = names.stream().map(AnetClientsRegistrar::brokerBeanName).toList();
		List<String> others = Arrays.stream(beanFactory.getBeanNamesForType(Broker.class))
			.filter((beanName) -> !namedBeans.contains(beanName))
			.toList();
		if (others.size() == 1) {
			brokers.put(AnetClients.DEFAULT, beanFactory.getBean(others.get(0), Broker.class));
		}
		for (String name : names) {
			brokers.put(name, beanFactory.getBean(brokerBeanName(name), Broker.class));
		}
		return new AnetClients(brokers);
	}

}
