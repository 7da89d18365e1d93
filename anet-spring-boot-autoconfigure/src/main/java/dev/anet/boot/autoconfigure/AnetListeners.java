package dev.anet.boot.autoconfigure;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.anet.broker.BrokerListener;
import dev.anet.broker.RequestOutcome;
import dev.anet.pool.PoolListener;
import dev.anet.server.HandlerOutcome;
import dev.anet.server.ServerConnection;
import dev.anet.server.ServerListener;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;

/**
 * The core listeners of the auto-configured pool group, broker and server: every listener bean
 * of the type, in order (the anet metrics among them when Micrometer is there), or the core's
 * {@code NONE}. A client's listeners leave out the beans qualified
 * ({@link Qualifier @Qualifier}) with another client's name.
 */
final class AnetListeners {

	private AnetListeners() {
	}

	/**
	 * Return the pool listeners of one client: every listener bean without a
	 * {@link Qualifier @Qualifier}, and those qualified with the client's name.
	 * @param beanFactory the bean factory
	 * @param client the client's name
	 * @return the listener
	 */
	static PoolListener pool(ConfigurableListableBeanFactory beanFactory, String client) {
		return combine(forClient(beanFactory, PoolListener.class, client), PoolListener.NONE,
				CompositePoolListener::new);
	}

	/**
	 * Return the broker listeners of one client, chosen as {@link #pool(ConfigurableListableBeanFactory, String)}.
	 * @param beanFactory the bean factory
	 * @param client the client's name
	 * @return the listener
	 */
	static BrokerListener broker(ConfigurableListableBeanFactory beanFactory, String client) {
		return combine(forClient(beanFactory, BrokerListener.class, client), BrokerListener.NONE,
				CompositeBrokerListener::new);
	}

	private static <L> List<L> forClient(ConfigurableListableBeanFactory beanFactory, Class<L> type, String client) {
		Set<Object> others = Collections.newSetFromMap(new IdentityHashMap<>());
		for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
			String qualifier = qualifier(beanFactory, name);
			if (qualifier != null && !qualifier.equals(client)) {
				others.add(beanFactory.getBean(name));
			}
		}
		return beanFactory.getBeanProvider(type).orderedStream().filter((listener) -> !others.contains(listener)).toList();
	}

	private static @Nullable String qualifier(ConfigurableListableBeanFactory beanFactory, String name) {
		if (beanFactory.containsBeanDefinition(name)
				&& beanFactory.getMergedBeanDefinition(name) instanceof AbstractBeanDefinition definition) {
			AutowireCandidateQualifier qualifier = definition.getQualifier(Qualifier.class.getName());
			if (qualifier != null && qualifier.getAttribute(AutowireCandidateQualifier.VALUE_KEY) instanceof String value) {
				return value;
			}
		}
		Qualifier annotation = beanFactory.findAnnotationOnBean(name, Qualifier.class, false);
		return (annotation != null && !annotation.value().isEmpty()) ? annotation.value() : null;
	}

	static PoolListener pool(ObjectProvider<PoolListener> listeners) {
		return combine(listeners.orderedStream().toList(), PoolListener.NONE, CompositePoolListener::new);
	}

	static BrokerListener broker(ObjectProvider<BrokerListener> listeners) {
		return combine(listeners.orderedStream().toList(), BrokerListener.NONE, CompositeBrokerListener::new);
	}

	static ServerListener server(ObjectProvider<ServerListener> listeners) {
		return combine(listeners.orderedStream().toList(), ServerListener.NONE, CompositeServerListener::new);
	}

	private static <L> L combine(List<L> listeners, L none, Function<List<L>, L> composite) {
		return switch (listeners.size()) {
			case 0 -> none;
			case 1 -> listeners.get(0);
			default -> composite.apply(listeners);
		};
	}

	private record CompositePoolListener(List<PoolListener> listeners) implements PoolListener {

		@Override
		public void connectionCreated(InetSocketAddress address) {
			this.listeners.forEach((listener) -> listener.connectionCreated(address));
		}

		@Override
		public void connectionClosed(InetSocketAddress address) {
			this.listeners.forEach((listener) -> listener.connectionClosed(address));
		}

		@Override
		public void connectionAcquired(InetSocketAddress address, long nanos) {
			this.listeners.forEach((listener) -> listener.connectionAcquired(address, nanos));
		}

		@Override
		public void dialFailed(InetSocketAddress address, Throwable cause) {
			this.listeners.forEach((listener) -> listener.dialFailed(address, cause));
		}

	}

	private record CompositeBrokerListener(List<BrokerListener> listeners) implements BrokerListener {

		@Override
		public void requestCompleted(RequestOutcome outcome, long nanos) {
			this.listeners.forEach((listener) -> listener.requestCompleted(outcome, nanos));
		}

		@Override
		public void requestCompleted(RequestOutcome outcome, @Nullable Throwable failure, long nanos) {
			this.listeners.forEach((listener) -> listener.requestCompleted(outcome, failure, nanos));
		}

		@Override
		public void lateResponse() {
			this.listeners.forEach(BrokerListener::lateResponse);
		}

	}

	private record CompositeServerListener(List<ServerListener> listeners) implements ServerListener {

		@Override
		public void connectionOpened(ServerConnection connection) {
			this.listeners.forEach((listener) -> listener.connectionOpened(connection));
		}

		@Override
		public void connectionClosed(ServerConnection connection) {
			this.listeners.forEach((listener) -> listener.connectionClosed(connection));
		}

		@Override
		public void connectionRejected(SocketAddress remoteAddress) {
			this.listeners.forEach((listener) -> listener.connectionRejected(remoteAddress));
		}

		@Override
		public void requestCompleted(ServerConnection connection, byte[] request, HandlerOutcome outcome, long nanos) {
			this.listeners.forEach((listener) -> listener.requestCompleted(connection, request, outcome, nanos));
		}

		@Override
		public void invalidFrame(ServerConnection connection, int length) {
			this.listeners.forEach((listener) -> listener.invalidFrame(connection, length));
		}

	}

}
