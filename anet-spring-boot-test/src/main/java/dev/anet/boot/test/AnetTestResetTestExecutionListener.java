package dev.anet.boot.test;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * {@link TestExecutionListener} that, after every test method, {@link MockAnetServer#reset()
 * resets} the context's {@link MockAnetServer} and {@link AnetTestClient#close() closes} the
 * connection of its {@link AnetTestClient}, so that no expectation, request or pending answer of
 * one test leaks into the next one (the context is cached and shared). Registered in
 * {@code META-INF/spring.factories}, like Spring Boot's
 * {@code MockRestServiceServerResetTestExecutionListener}.
 */
public class AnetTestResetTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		context.getBeanProvider(MockAnetServer.class).forEach(MockAnetServer::reset);
		context.getBeanProvider(AnetTestClient.class).forEach(AnetTestClient::close);
	}

}
