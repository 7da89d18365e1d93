package dev.anet.boot.test;

/**
 * Whether a request body is the one an expectation of a {@link MockAnetServer} waits for. Get one
 * from {@link AnetRequestMatchers}, or write a lambda; its {@code toString()} describes it in
 * {@link MockAnetServer#verify()} failures.
 */
@FunctionalInterface
public interface AnetRequestMatcher {

	/**
	 * Return whether the request matches.
	 * @param request the request body (without length and task id)
	 * @return whether it matches
	 */
	boolean matches(byte[] request);

}
