package dev.anet.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.anet.boot.AnetAdvice;
import dev.anet.boot.AnetHandler;
import dev.anet.boot.messaging.AnetMessageConverters;
import dev.anet.server.Handler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Finds the {@link AnetHandler @AnetHandler} beans and methods and builds the {@link AnetRouter}
 * from them, in the manner of Spring Kafka's listener post-processor: each bean is looked at once
 * it is initialized (its target class, behind any AOP proxy), and the routes are fixed once every
 * singleton has been created, when duplicate routes fail start-up.
 *
 * <p>Start-up fails, naming the bean and the method and saying what to do, when a method has a
 * signature that is not one of {@link AnetHandlerMethod#SIGNATURES}, when a JDK proxy hides the
 * method, when an annotated class does not implement {@link Handler}, when a prefix is not ASCII
 * or a hex prefix is not hex, and when two handlers share a route.
 *
 * <p>It also collects the {@code @AnetExceptionHandler} methods of handler beans and of
 * {@link AnetAdvice @AnetAdvice} beans, and, when the routes are fixed, binds every handler method
 * and exception handler to the {@link AnetMessageConverters} bean (the built-in converters when
 * there is none).
 */
public class AnetHandlerRegistrar implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

	private static final Logger logger = LoggerFactory.getLogger(AnetHandlerRegistrar.class);

	private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();

	private final List<Found> routes = new ArrayList<>();

	private final List<Advice> advice = new ArrayList<>();

	private @Nullable BeanFactory beanFactory;

	private final Object monitor = new Object();

	private @Nullable AnetRouter router;

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutHandlers.contains(targetClass)) {
			return bean;
		}
		if (AnnotatedElementUtils.hasAnnotation(targetClass, AnetAdvice.class)) {
			AnetExceptionHandlers handlers = AnetExceptionHandlers.of(bean, beanName);
			if (handlers != null) {
				synchronized (this.monitor) {
					this.advice.add(new Advice(bean, handlers));
				}
			}
		}
		List<AnetRoute> found = new ArrayList<>();
		AnetHandler onClass = AnnotatedElementUtils.findMergedAnnotation(targetClass, AnetHandler.class);
		if (onClass != null) {
			String description = "Bean '" + beanName + "' (" + targetClass.getName() + ")";
			if (!(bean instanceof Handler handler)) {
				throw new IllegalStateException(description + " is annotated with @AnetHandler but does not implement "
						+ Handler.class.getName() + ": implement it, or put @AnetHandler on its handler methods instead");
			}
			found.add(AnetRoute.of(onClass, handler, description));
		}
		Map<Method, AnetHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<AnetHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, AnetHandler.class));
		methods.forEach((method, annotation) -> {
			String description = "Method " + targetClass.getSimpleName() + "." + method.getName() + " of bean '"
					+ beanName + "'";
			Method invocable = invocableMethod(bean, method, description);
			found.add(AnetRoute.of(annotation, AnetHandlerMethod.of(bean, invocable, description), description));
		});
		if (found.isEmpty()) {
			this.classesWithoutHandlers.add(targetClass);
			return bean;
		}
		synchronized (this.monitor) {
			if (this.router != null) {
				logger.warn("{} was created after the anet routes were fixed (is it lazy?): its @AnetHandler is not "
						+ "routed; make the bean eager", found.get(0).description());
				return bean;
			}
			AnetExceptionHandlers local = AnetExceptionHandlers.of(bean, beanName);
			found.forEach((route) -> this.routes.add(new Found(route, local)));
		}
		return bean;
	}

	private static Method invocableMethod(Object bean, Method method, String description) {
		try {
			return AopUtils.selectInvocableMethod(method, bean.getClass());
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException(description + " is hidden behind a JDK proxy that does not expose it: "
					+ "declare the method on an interface the bean implements, or switch to class-based (CGLIB) "
					+ "proxies, for example with spring.aop.proxy-target-class=true or proxyTargetClass = true", ex);
		}
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	private AnetMessageConverters converters() {
		BeanFactory beanFactory = this.beanFactory;
		if (beanFactory == null) {
			return AnetMessageConverters.defaults();
		}
		return beanFactory.getBeanProvider(AnetMessageConverters.class).getIfAvailable(AnetMessageConverters::defaults);
	}

	/** The routes with their handlers bound to the converters and behind their exception handlers. */
	private List<AnetRoute> bind(AnetMessageConverters converters) {
		List<Advice> advice = new ArrayList<>(this.advice);
		advice.sort((a, b) -> AnnotationAwareOrderComparator.INSTANCE.compare(a.bean(), b.bean()));
		advice.forEach((each) -> each.handlers().check(converters));
		List<AnetRoute> bound = new ArrayList<>();
		for (Found found : this.routes) {
			AnetRoute route = found.route();
			if (route.handler() instanceof AnetHandlerMethod method) {
				method.bind(converters);
			}
			List<AnetExceptionHandlers> exceptionHandlers = new ArrayList<>();
			if (found.local() != null) {
				found.local().check(converters);
				exceptionHandlers.add(found.local());
			}
			advice.forEach((each) -> exceptionHandlers.add(each.handlers()));
			bound.add(exceptionHandlers.isEmpty() ? route
					: route.withHandler(new ErrorAnsweringHandler(route.handler(), exceptionHandlers, converters)));
		}
		return bound;
	}

	/**
	 * Fix the routes: duplicate routes fail start-up here.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		getRouter();
	}

	/**
	 * Return the router of every handler found; the routes are fixed at the first call, which
	 * must come after every singleton bean was created.
	 * @return the router
	 * @throws IllegalStateException if two handlers share a route
	 */
	public AnetRouter getRouter() {
		synchronized (this.monitor) {
			AnetRouter router = this.router;
			if (router == null) {
				router = new AnetRouter(bind(converters()));
				this.router = router;
				if (!router.isEmpty()) {
					logger.debug("anet routes: {}", router.routeNames());
				}
			}
			return router;
		}
	}

	private record Found(AnetRoute route, @Nullable AnetExceptionHandlers local) {
	}

	private record Advice(Object bean, AnetExceptionHandlers handlers) {
	}

}
