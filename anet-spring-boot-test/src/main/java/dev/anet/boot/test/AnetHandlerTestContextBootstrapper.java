package dev.anet.boot.test;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;
import org.springframework.test.context.TestContextBootstrapper;

/**
 * {@link TestContextBootstrapper} of {@link AnetHandlerTest @AnetHandlerTest}: the server on a
 * free loopback port and no broker, then the test's own properties.
 */
class AnetHandlerTestContextBootstrapper extends TestSliceTestContextBootstrapper<AnetHandlerTest> {

	// no broker: the slice tests the server side (a test that wants one sets anet.pool.addresses)
	private static final String[] DEFAULTS = { "anet.server.port=0", "anet.server.address=127.0.0.1",
			"anet.pool.addresses=" };

	@Override
	protected String @Nullable [] getProperties(Class<?> testClass) {
		String[] own = super.getProperties(testClass);
		List<String> properties = new ArrayList<>(List.of(DEFAULTS));
		if (own != null) {
			properties.addAll(List.of(own));
		}
		return properties.toArray(String[]::new);
	}

}
